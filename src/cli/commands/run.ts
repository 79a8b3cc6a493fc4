// `minidock run [OPTIONS] IMAGE [COMMAND] [ARG...]`: create + start, in the foreground (the
// container's status is ours) or detached (-d, prints the ID). `--dry-run` prints the host
// steps as a runnable shell script instead.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Engine } from '../../engine.js';
import { EXIT_ENGINE, MinidockError, wrap } from '../../errors.js';
import type { DryRunHost } from '../../host/script.js';
import { createContainer, planContainer } from '../../runtime/create.js';
import { finalizeExit } from '../../runtime/lifecycle/exit.js';
import { removeContainer } from '../../runtime/lifecycle/remove.js';
import { startContainer } from '../../runtime/lifecycle/start.js';
import { initialState, type Container } from '../../runtime/model.js';
import { ContainerStore } from '../../runtime/store.js';
import { openCgroups } from '../../cgroups/index.js';
import type { CliContext, CommandModule } from '../context.js';
import { createOptionsFromFlags, defineCreateFlags } from './create-flags.js';

/**
 * Whether a SIGINT we got also reached the shim: a terminal's Ctrl-C goes to the whole
 * foreground process group, which the shim shares with us. That is the case when our process
 * group is the terminal's foreground group (fields pgrp and tpgid of /proc/self/stat).
 */
export function terminalSignalsReachShim(): boolean {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(f[2]);
    const tpgid = Number(f[5]);
    return tpgid > 0 && tpgid === pgrp;
  } catch {
    return false;
  }
}

const PROXIED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/**
 * Foreground: wait for the container, forward our own signals to the shim (which forwards
 * them on, docker's sig-proxy). The handlers go in before the start, so that a signal that
 * arrives while the container starts is delivered once the shim exists instead of killing
 * us and leaving the container running unattended.
 */
export async function runAttached(engine: Engine, store: ContainerStore, c: Container, stdin: boolean): Promise<number> {
  let shimPid: number | undefined;
  const pending: NodeJS.Signals[] = [];
  const deliver = (sig: NodeJS.Signals) => {
    try {
      process.kill(shimPid!, sig);
    } catch {
      /* the shim is gone: the container has ended */
    }
  };
  const handlers = PROXIED_SIGNALS.map((s) => {
    const h = () => {
      // A terminal's Ctrl-C reached the shim directly (same process group): not twice.
      if ((s === 'SIGINT' || s === 'SIGQUIT') && terminalSignalsReachShim()) return;
      if (shimPid) deliver(s);
      else pending.push(s);
    };
    process.on(s, h);
    return [s, h] as const;
  });
  try {
    const started = await store.locked(c.Id, () => startContainer(engine, store, c, store.readState(c.Id), { kind: 'attach', stdin }));
    shimPid = started.shim!.pid;
    for (const s of pending.splice(0)) deliver(s);
    return await started.done!;
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
    await store.locked(c.Id, () => finalizeExit(engine, store, c.Id));
  }
}

async function dryRun(ctx: CliContext, req: Parameters<typeof planContainer>[1], detach: boolean): Promise<void> {
  const engine = ctx.engine({ dryRun: true });
  const c = await planContainer(engine, req);
  const host = engine.host as DryRunHost;
  host.comment(`minidock run --dry-run: the host steps that start container ${c.Id.slice(0, 12)} (${c.Name})`);
  const started = await startContainer(engine, new ContainerStore(engine), c, initialState(), detach ? { kind: 'detach' } : { kind: 'attach', stdin: req.interactive });
  if (!detach) {
    host.comment('the container has exited: remove what the run made');
    if (started.cgroup) await openCgroups().remove(host, started.cgroup);
    await host.remove(engine.paths.container(c.Id), 'the container\'s files');
  }
  ctx.out(`#!/bin/sh\nset -e\n${host.script()}`);
}

const command: CommandModule = {
  engineExitCode: EXIT_ENGINE,
  define(cmd: Command) {
    defineCreateFlags(cmd.description('Create and run a new container from an image').usage('[OPTIONS] IMAGE [COMMAND] [ARG...]'))
      .option('-d, --detach', 'Run container in background and print container ID')
      .option('--sig-proxy [bool]', 'Proxy received signals to the process', true)
      .option('--dry-run', 'Print the host steps as a shell script instead of running them');
  },
  async action(ctx, [image, ...cmdArgs], opts) {
    const req = { ...createOptionsFromFlags(opts), imageName: image, cmd: cmdArgs };
    if (opts.dryRun) return dryRun(ctx, req, !!opts.detach);
    const engine = ctx.engine();
    const store = new ContainerStore(engine);
    const c = await createContainer(engine, req);
    if (opts.detach) {
      try {
        await store.locked(c.Id, () => startContainer(engine, store, c, store.readState(c.Id), { kind: 'detach' }));
      } catch (err) {
        if (c.HostConfig.AutoRemove) await removeContainer(engine, store, c, { force: true });
        throw err instanceof MinidockError ? err : wrap('starting the container', err, { exitCode: EXIT_ENGINE });
      }
      ctx.out(c.Id);
      return 0;
    }
    try {
      return await runAttached(engine, store, c, !!opts.interactive);
    } finally {
      if (c.HostConfig.AutoRemove && store.exists(c.Id)) await removeContainer(engine, store, store.readContainer(c.Id), { force: true });
    }
  },
};
export default command;
