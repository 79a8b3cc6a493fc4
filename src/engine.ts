// What every library call receives: the host gateway and the paths of one root. Built once
// per CLI invocation by src/cli/main.ts; tests build their own with a RecordingHost.
import type { Host } from './host/host.js';
import { pathsFor, type Paths } from './paths.js';

export interface Engine {
  readonly host: Host;
  readonly paths: Paths;
  /** Print host steps and timings to stderr (--debug). */
  readonly debug: boolean;
  /**
   * How to run this minidock again (node + script): the container shim calls it back when a
   * container exits (`container cleanup`), for cleanup and the restart policy.
   */
  readonly self: string[];
}

export function createEngine(opts: { host: Host; root: string; debug?: boolean; self?: string[] }): Engine {
  return {
    host: opts.host,
    paths: pathsFor(opts.root),
    debug: opts.debug ?? false,
    self: opts.self ?? (process.env.MINIDOCK_BIN ? [process.env.MINIDOCK_BIN] : [process.execPath, process.argv[1]]),
  };
}
