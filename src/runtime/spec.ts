// How docker turns an image config and `run`/`create` options into a container: which
// entrypoint and command run, the environment, user, working directory, hostname. Pure.
import { MinidockError } from '../errors.js';
import type { ImageConfig } from '../image/oci.js';
import type { Container, MountSpec } from './model.js';
import { mergeEnv } from '../cli/parse/env.js';

export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface CreateOptions {
  name: string;
  /** The image as the user named it, and what it resolved to. */
  imageName: string;
  imageId: string;
  layers: string[];
  /** Arguments after the image name. */
  cmd: string[];
  /** `--entrypoint`: a string (docker's flag takes one word; "" clears the image's). */
  entrypoint?: string;
  /** `-e`/`--env-file` values, already KEY=VALUE. */
  env: string[];
  workdir?: string;
  user?: string;
  hostname?: string;
  labels: Record<string, string>;
  tty: boolean;
  interactive: boolean;
  init: boolean;
  readOnly: boolean;
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  noNewPrivileges: boolean;
  tmpfs: Record<string, string>;
  restart: { Name: string; MaximumRetryCount: number };
  autoRemove: boolean;
  stopSignal?: string;
  stopTimeout?: number;
  memory: number;
  memorySwap: number;
  nanoCpus: number;
  cpuShares: number;
  pidsLimit?: number;
  cgroupParent: string;
  network: string;
  groupAdd: string[];
  extraHosts: string[];
  dns: string[];
  portBindings: Record<string, { HostIp: string; HostPort: string }[]>;
  publishAll: boolean;
  exposedPorts: string[];
  binds: string[];
  mounts: MountSpec[];
}

/**
 * KEY=VALUE lists merged by key, later lists winning (a bare KEY removes it), as the daemon
 * merges the image's Env, the user's -e and its own defaults.
 */
export function mergeEnvLists(...lists: (readonly string[] | null | undefined)[]): string[] {
  return lists.reduce<string[]>((acc, l) => mergeEnv(acc, l ?? []), []);
}

export function buildContainer(id: string, created: string, image: ImageConfig, o: CreateOptions): Container {
  const ic = image.config ?? {};
  let entrypoint: string[] | null;
  let cmd: string[] | null;
  if (o.entrypoint !== undefined) {
    // docker: --entrypoint replaces the image's entrypoint and drops its CMD.
    entrypoint = o.entrypoint === '' ? null : [o.entrypoint];
    cmd = o.cmd.length ? o.cmd : null;
  } else {
    entrypoint = ic.Entrypoint ?? null;
    cmd = o.cmd.length ? o.cmd : (ic.Cmd ?? null);
  }
  const argv = [...(entrypoint ?? []), ...(cmd ?? [])];
  if (argv.length === 0) {
    throw new MinidockError('no command specified', { kind: 'usage', exitCode: 125, hint: 'give a command after the image name, or use an image with CMD or ENTRYPOINT' });
  }
  const exposed: Record<string, Record<string, unknown>> = { ...(ic.ExposedPorts ?? {}) };
  for (const p of o.exposedPorts) exposed[p] = {};
  const hasPath = (ic.Env ?? []).some((e) => e.startsWith('PATH='));
  return {
    Id: id,
    Name: o.name,
    Created: created,
    Image: o.imageId,
    ImageName: o.imageName,
    Layers: o.layers,
    Config: {
      Hostname: o.hostname ?? id.slice(0, 12),
      Domainname: '',
      User: o.user ?? ic.User ?? '',
      Tty: o.tty,
      OpenStdin: o.interactive,
      Env: mergeEnvLists(hasPath ? [] : [DEFAULT_PATH], ic.Env, o.env),
      Cmd: cmd,
      Entrypoint: entrypoint,
      WorkingDir: o.workdir ?? ic.WorkingDir ?? '',
      Labels: { ...(ic.Labels ?? {}), ...o.labels },
      StopSignal: o.stopSignal ?? ic.StopSignal,
      StopTimeout: o.stopTimeout ?? null,
      ExposedPorts: Object.keys(exposed).length ? exposed : null,
      Volumes: ic.Volumes ?? null,
      Image: o.imageName,
    },
    HostConfig: {
      AutoRemove: o.autoRemove,
      Privileged: o.privileged,
      ReadonlyRootfs: o.readOnly,
      Init: o.init,
      CapAdd: o.capAdd,
      CapDrop: o.capDrop,
      SecurityOpt: o.securityOpt,
      NoNewPrivileges: o.noNewPrivileges,
      Tmpfs: o.tmpfs,
      RestartPolicy: o.restart,
      Memory: o.memory,
      MemorySwap: o.memorySwap,
      NanoCpus: o.nanoCpus,
      CpuShares: o.cpuShares,
      PidsLimit: o.pidsLimit ?? null,
      CgroupParent: o.cgroupParent,
      NetworkMode: o.network,
      GroupAdd: o.groupAdd,
      ExtraHosts: o.extraHosts,
      Dns: o.dns,
      PortBindings: o.portBindings,
      PublishAllPorts: o.publishAll,
      Binds: o.binds,
    },
    Mounts: o.mounts,
    Path: argv[0],
    Args: argv.slice(1),
  };
}

/** The environment the container's process starts with (moby's CreateDaemonEnvironment, then runc's HOME). */
export function processEnv(c: Pick<Container, 'Config'>, home: string, extra: string[] = []): string[] {
  const base = [DEFAULT_PATH, `HOSTNAME=${c.Config.Hostname}`];
  if (c.Config.Tty) base.push('TERM=xterm');
  const env = mergeEnvLists(base, c.Config.Env, extra);
  if (!env.some((e) => e.startsWith('HOME='))) env.push(`HOME=${home}`);
  return env;
}
