// The one gateway for side effects on the host: spawning processes, writing kernel
// interface files (cgroups, /proc/sys), signalling processes. Three implementations share
// it: RealHost does it (and logs with --debug), DryRunHost prints a runnable shell script
// instead, RecordingHost keeps the calls for tests. Engine state files under --root are
// written with plain fs by the store; they are the engine's data, not host mutation.
import type { ChildProcess, SpawnOptions } from 'node:child_process';

export interface RunOptions {
  input?: string | Buffer;
  cwd?: string;
  /** Replaces the environment (default: HOST_ENV). Container values never go here. */
  env?: NodeJS.ProcessEnv;
  /** A non-zero exit is returned instead of thrown. */
  allowFailure?: boolean;
  /** What the command is for, shown in --debug, --dry-run and error messages. */
  why?: string;
  /** Return stdout as a Buffer (e.g. tar output) instead of text. */
  binary?: boolean;
}

export interface RunResult {
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stdoutBuffer?: Buffer;
  stderr: string;
}

export interface SpawnRequest {
  argv: readonly string[];
  options?: SpawnOptions;
  why?: string;
}

export interface Host {
  readonly mode: 'real' | 'dry-run' | 'recording';
  run(argv: readonly string[], opts?: RunOptions): Promise<RunResult>;
  /** Start a long-lived process (a shim, a foreground container). */
  spawn(req: SpawnRequest): ChildProcess;
  /** Write a file: cgroup limits, cgroup.procs, /proc/sys knobs, a container's fstab and /etc files. */
  writeFile(path: string, data: string, why?: string): Promise<void>;
  /** mkdir -p, for cgroup directories and mount points outside the engine root. */
  mkdir(path: string, why?: string): Promise<void>;
  /**
   * rmdir (not recursive): cgroup directories are removed one by one. `ifEmpty`: a directory
   * that is still in use is fine (a shared cgroup parent); a script then ignores the failure.
   */
  rmdir(path: string, why?: string, opts?: { ifEmpty?: boolean }): Promise<void>;
  /** ln -s: the container's /dev skeleton. */
  symlink(target: string, path: string, why?: string): Promise<void>;
  /** rm -rf: per-run files of a container. */
  remove(path: string, why?: string): Promise<void>;
  kill(pid: number, signal: NodeJS.Signals | number, why?: string): void;
  /** A line of explanation in the dry-run script and the debug log. */
  comment(text: string): void;
}

/** The environment of every host helper: fixed, so nothing from an image (LD_PRELOAD, PATH) reaches it. */
export const HOST_ENV: NodeJS.ProcessEnv = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C',
};
