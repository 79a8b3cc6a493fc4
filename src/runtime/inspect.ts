// `inspect` of a container: docker's JSON shape, built from the record and the live state.
import type { Engine } from '../engine.js';
import { Snapshots } from '../image/store/snapshots.js';
import type { Container, State } from './model.js';
import { containerPaths } from './prepare.js';

export function stateView(s: State): Record<string, unknown> {
  return {
    Status: s.Status,
    Running: s.Status === 'running' || s.Status === 'paused',
    Paused: s.Status === 'paused',
    Restarting: s.Status === 'restarting',
    OOMKilled: s.OOMKilled,
    Dead: s.Status === 'dead',
    Pid: s.Status === 'running' || s.Status === 'paused' ? s.Pid : 0,
    ExitCode: s.ExitCode,
    Error: s.Error,
    StartedAt: s.StartedAt,
    FinishedAt: s.FinishedAt,
  };
}

export function inspectContainer(engine: Engine, c: Container, s: State, extra: { networkSettings?: Record<string, unknown> } = {}): Record<string, unknown> {
  const p = containerPaths(engine, c.Id);
  const snaps = new Snapshots(engine);
  const lower = [p.init, ...[...c.Layers].reverse().map((l) => snaps.fsDir(l))].join(':');
  return {
    Id: c.Id,
    Created: c.Created,
    Path: c.Path,
    Args: c.Args,
    State: stateView(s),
    Image: c.Image,
    ResolvConfPath: p.resolv,
    HostnamePath: p.hostname,
    HostsPath: p.hosts,
    LogPath: p.log,
    Name: `/${c.Name}`,
    RestartCount: s.RestartCount,
    Driver: 'overlay',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: {
      ...c.HostConfig,
      LogConfig: { Type: 'json-file', Config: {} },
      // util-linux 2.38 cannot load a seccomp filter (setpriv --seccomp-filter is 2.41+):
      // say so rather than pretend.
      SecurityOpt: c.HostConfig.SecurityOpt.length ? c.HostConfig.SecurityOpt : null,
    },
    GraphDriver: { Data: { LowerDir: lower, MergedDir: p.rootfs, UpperDir: p.upper, WorkDir: p.work }, Name: 'overlay' },
    Mounts: c.Mounts.map((m) => ({
      Type: m.Type,
      Name: m.Name,
      Source: m.Source,
      Destination: m.Destination,
      Driver: m.Type === 'volume' ? 'local' : undefined,
      Mode: m.Options ?? '',
      RW: m.RW,
      Propagation: m.Type === 'bind' ? 'rprivate' : '',
    })),
    Config: { ...c.Config, AttachStdin: c.Config.OpenStdin, AttachStdout: true, AttachStderr: true, StdinOnce: false },
    NetworkSettings: extra.networkSettings ?? { Networks: {} },
    Seccomp: 'unconfined (util-linux 2.38 cannot load a seccomp filter; see README)',
  };
}
