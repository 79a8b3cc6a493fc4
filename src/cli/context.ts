// What a command's action receives from the CLI: the global options, a lazily created
// engine, and the output streams. Commands print through `out`/`err`, never console.*.
import type { Command } from 'commander';
import type { Engine } from '../engine.js';

export interface CliContext {
  readonly root: string;
  readonly debug: boolean;
  /** The engine for this invocation; `dryRun` swaps in a host that prints instead of acting. */
  engine(opts?: { dryRun?: boolean }): Engine;
  out(text: string): void;
  err(text: string): void;
}

export interface CommandModule {
  /** Arguments and options, declared with commander (flags as docker spells them). */
  define(cmd: Command): void;
  /** Returns the process exit code (default 0), e.g. `run` returns the container's status. */
  action(ctx: CliContext, args: string[], opts: Record<string, any>, cmd: Command): Promise<number | void>;
  /** Exit code for engine errors: 125 for run/create/start/exec (docker's), 1 otherwise. */
  engineExitCode?: number;
  /** Default true: the engine needs root for its namespaces, mounts, cgroups and store. */
  needsRoot?: boolean;
}

/** commander hands repeatable options to this collector: `-e A -e B` → ['A', 'B']. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
