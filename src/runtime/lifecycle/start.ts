// `start` (and the second half of `run`): prepare the container's files, create its cgroups,
// and hand the start chain to minidock-shim, which stays beside the container (detached) or
// in the foreground with the user's terminal (attached). The shim reports when the
// container's own command has been exec'd, or why it could not be.
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { openCgroups } from '../../cgroups/index.js';
import type { Engine } from '../../engine.js';
import { MinidockError, wrap } from '../../errors.js';
import { processStartTime } from '../../state/lock.js';
import type { Container, State } from '../model.js';
import { containerPaths, prepareStart } from '../prepare.js';
import type { ContainerStore } from '../store.js';
import { tools } from '../tools.js';
import { planVolumeMounts } from '../volumes/index.js';
import { attachNetworks, detachNetworks } from '../network/index.js';

export type StartMode =
  | { kind: 'detach' }
  /** `pipe`: the container's stdout/stderr come back as streams (a build step) instead of going to our own. */
  | { kind: 'attach'; stdin: boolean; output?: 'inherit' | 'pipe' };

interface StartLine {
  pid?: number;
  shimPid?: number;
  error?: string;
  exitCode?: number;
}

export interface Started {
  pid: number;
  /** The cgroups of this run (a dry run prints their removal too). */
  cgroup?: import('../../cgroups/driver.js').CgroupPlan;
  /** Attached mode: the shim in the foreground; resolves with its exit code. */
  done?: Promise<number>;
  shim?: ChildProcess;
}

/**
 * Settings the engine takes from its environment, which the exit hook needs too: the shim
 * runs it with PATH alone, and a restart policy's start would otherwise put the container's
 * cgroups under the default /minidock instead of the MINIDOCK_CGROUP_PARENT of the first start.
 */
const ENGINE_ENV = ['MINIDOCK_CGROUP_PARENT', 'MINIDOCK_SHIM'];

function hookEnv(): string[] {
  const set = ENGINE_ENV.filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]}`);
  return set.length ? ['/usr/bin/env', ...set] : [];
}

function monitorArgs(engine: Engine, c: Container, mode: StartMode): string[] {
  const p = containerPaths(engine, c.Id);
  const args = ['monitor', '--pid-ns', '--log', p.log, '--exit-file', p.exitFile];
  if (c.Config.Tty) args.push('--tty');
  if (mode.kind === 'attach') {
    args.push('--attach', '--status-fd', '3');
    if (mode.stdin) args.push('--stdin');
  } else {
    args.push('--detach');
    if (c.Config.OpenStdin) args.push('--stdin');
    const [cmd, ...rest] = [...hookEnv(), ...engine.self, '--root', engine.paths.root, 'container', 'cleanup', c.Id];
    args.push('--exit-command', cmd, ...rest.flatMap((a) => ['--exit-arg', a]));
  }
  return args;
}

function parseStartLine(text: string): StartLine {
  const line = text.trim().split('\n').filter(Boolean).pop() ?? '';
  try {
    return JSON.parse(line) as StartLine;
  } catch {
    return { error: `the container shim said: ${text.trim() || '(nothing)'}`, exitCode: 125 };
  }
}

function startFailed(c: Container, line: StartLine): MinidockError {
  const code = line.exitCode ?? 125;
  return new MinidockError(line.error ?? 'the container did not start', {
    kind: code === 125 ? 'host' : 'invalid',
    exitCode: code,
    context: { container: c.Id },
  });
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => (out += d));
    stream.on('end', () => resolve(out));
    stream.on('error', reject);
  });
}

/**
 * Start a created or exited container. The caller holds the container's lock. On failure the
 * cgroups are removed again and the error (docker's exit code included) is recorded in the state.
 */
export async function startContainer(engine: Engine, store: ContainerStore, c: Container, state: State, mode: StartMode): Promise<Started> {
  const p = containerPaths(engine, c.Id);
  const host = engine.host;
  const mounts = await planVolumeMounts(engine, c);
  const aliases = (c.HostConfig as { NetworkAliases?: string[] }).NetworkAliases ?? [];
  // --dry-run does not plan the network: attaching reserves addresses and ports on disk. It
  // shows a container with its own empty network namespace instead, and says so.
  const dry = host.mode !== 'real' && !['none', 'host'].includes(c.HostConfig.NetworkMode);
  if (dry) host.comment(`network ${c.HostConfig.NetworkMode}: the netns, veth and firewall steps are not shown by --dry-run; this script runs the container with --network none`);
  const net = dry
    ? { network: { kind: 'new' as const }, addresses: [], resolvConf: undefined, hostsEntries: undefined }
    : await attachNetworks(engine, c, { aliases, ip: (c.HostConfig as { IPAddress?: string }).IPAddress });
  let prepared;
  try {
    prepared = await prepareStart(engine, c, {
      mounts,
      network: net.network,
      addresses: net.addresses.map((a) => a.ip),
      resolvConf: net.resolvConf,
      hostsEntries: net.hostsEntries,
      aliases,
    });
  } catch (err) {
    await detachNetworks(engine, c).catch(() => {});
    throw err;
  }
  const cgroups = openCgroups();
  if (host.mode === 'real') rmSync(p.exitFile, { force: true });
  for (const w of prepared.cgroup.warnings) engine.host.comment(`WARNING: ${w}`);
  try {
    await cgroups.create(host, prepared.cgroup);
  } catch (err) {
    await detachNetworks(engine, c).catch(() => {});
    throw err;
  }
  const argv = [tools().shim, ...monitorArgs(engine, c, mode), '--', ...prepared.argv];
  const recordFailure = async (err: MinidockError) => {
    await cgroups.remove(host, prepared.cgroup).catch(() => {});
    await detachNetworks(engine, c).catch(() => {});
    if (host.mode === 'real') store.writeState(c.Id, { ...state, Status: state.Status === 'created' ? 'created' : 'exited', Pid: 0, ExitCode: err.exitCode, Error: err.message });
    return err;
  };

  let child: ChildProcess;
  try {
    child = host.spawn({
      argv,
      why: `start container ${c.Id.slice(0, 12)}`,
      options:
        mode.kind === 'attach'
          ? { stdio: [mode.stdin ? 'inherit' : 'ignore', mode.output === 'pipe' ? 'pipe' : 'inherit', mode.output === 'pipe' ? 'pipe' : 'inherit', 'pipe'] }
          : { stdio: ['ignore', 'pipe', 'inherit'] },
    });
  } catch (err) {
    throw await recordFailure(wrap('starting the container shim', err, { exitCode: 125 }));
  }
  if (host.mode !== 'real') return { pid: 0, cgroup: prepared.cgroup };

  const statusStream = mode.kind === 'attach' ? (child.stdio[3] as NodeJS.ReadableStream) : child.stdout!;
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? 15 : 0))));
  let line: StartLine;
  if (mode.kind === 'attach') {
    // The status fd carries one line and stays open until the container ends: read up to the newline.
    line = await new Promise<StartLine>((resolve) => {
      let buf = '';
      statusStream.setEncoding('utf8');
      const onData = (d: string) => {
        buf += d;
        if (buf.includes('\n')) finish();
      };
      const finish = () => {
        statusStream.off('data', onData);
        statusStream.resume();
        resolve(parseStartLine(buf));
      };
      statusStream.on('data', onData);
      statusStream.on('end', finish);
    });
  } else {
    const [text] = await Promise.all([readAll(statusStream), exited]);
    line = parseStartLine(text);
  }
  if (line.error || !line.pid) {
    if (mode.kind === 'attach') await exited;
    throw await recordFailure(startFailed(c, line));
  }
  const shimPid = line.shimPid ?? child.pid ?? 0;
  store.writeState(c.Id, {
    ...state,
    Status: 'running',
    Pid: line.pid,
    PidStart: processStartTime(line.pid),
    ShimPid: shimPid,
    ShimStart: processStartTime(shimPid),
    ExitCode: 0,
    OOMKilled: false,
    Error: '',
    StartedAt: new Date().toISOString(),
    FinishedAt: state.FinishedAt,
    Cgroup: prepared.cgroup as unknown as Record<string, unknown>,
    ManuallyStopped: false,
  });
  return { pid: line.pid, shim: child, done: mode.kind === 'attach' ? exited : undefined };
}
