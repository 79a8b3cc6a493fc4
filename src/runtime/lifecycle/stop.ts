// `stop`, `kill`, `pause`, `unpause`: signals and the freezer, with docker's state checks.
import { parseSignal } from '../../cli/parse/signal.js';
import { existsSync } from 'node:fs';
import { openCgroups, parseCgroupPlan } from '../../cgroups/index.js';
import type { Engine } from '../../engine.js';
import { MinidockError, conflict } from '../../errors.js';
import type { Container, State } from '../model.js';
import { containerPaths } from '../prepare.js';
import type { ContainerStore } from '../store.js';
import { finalizeExit } from './exit.js';
import { liveState } from './status.js';
import { waitForExit } from './wait-exit.js';

export const DEFAULT_STOP_TIMEOUT = 10;

function current(engine: Engine, store: ContainerStore, id: string): State {
  return liveState(store.readState(id), containerPaths(engine, id).exitFile);
}

function exitFileExists(engine: Engine, id: string): () => boolean {
  const f = containerPaths(engine, id).exitFile;
  return () => existsSync(f);
}

async function thawIfPaused(engine: Engine, state: State): Promise<void> {
  if (state.Status === 'paused' && state.Cgroup) await openCgroups().thaw(engine.host, parseCgroupPlan(state.Cgroup));
}

/**
 * Send the stop signal, wait up to `timeoutSec`, then SIGKILL (docker's `stop`). A stopped
 * container is left alone. The restart policy will not bring it back.
 */
export async function stopContainer(engine: Engine, store: ContainerStore, c: Container, opts: { timeout?: number; signal?: string } = {}): Promise<void> {
  await store.locked(c.Id, async () => {
    const state = current(engine, store, c.Id);
    if (state.Status === 'restarting') {
      store.writeState(c.Id, { ...state, Status: 'exited', ManuallyStopped: true });
      return;
    }
    if (state.Status !== 'running' && state.Status !== 'paused') {
      await finalizeExit(engine, store, c.Id);
      return;
    }
    store.writeState(c.Id, { ...store.readState(c.Id), ManuallyStopped: true });
    const signal = parseSignal(opts.signal ?? c.Config.StopSignal ?? 'SIGTERM');
    const timeout = opts.timeout ?? c.Config.StopTimeout ?? DEFAULT_STOP_TIMEOUT;
    engine.host.kill(state.Pid, signal, `stop: ${String(signal)} to the container's init`);
    await thawIfPaused(engine, state);
    const done = exitFileExists(engine, c.Id);
    const waitMs = timeout < 0 ? Infinity : timeout * 1000;
    if (!(await waitForExit(state, waitMs, done))) {
      engine.host.kill(state.Pid, 'SIGKILL', `stop: still running after ${timeout}s`);
      if (!(await waitForExit(state, 10_000, done))) {
        throw new MinidockError(`container ${c.Id.slice(0, 12)} did not exit after SIGKILL`, { kind: 'host' });
      }
    }
    await finalizeExit(engine, store, c.Id);
  });
}

export async function killContainer(engine: Engine, store: ContainerStore, c: Container, signalSpec = 'KILL'): Promise<void> {
  const signal = parseSignal(signalSpec);
  await store.locked(c.Id, async () => {
    const state = current(engine, store, c.Id);
    if (state.Status !== 'running' && state.Status !== 'paused') {
      throw conflict(`cannot kill container: ${c.Name}: container ${c.Id} is not running`);
    }
    store.writeState(c.Id, { ...store.readState(c.Id), ManuallyStopped: true });
    if (state.Cgroup && signal === 9 && state.Status === 'paused') {
      await openCgroups().kill(engine.host, parseCgroupPlan(state.Cgroup), 'SIGKILL');
    } else {
      engine.host.kill(state.Pid, signal, `kill: ${String(signal)} to the container's init`);
    }
  });
}

export async function pauseContainer(engine: Engine, store: ContainerStore, c: Container): Promise<void> {
  await store.locked(c.Id, async () => {
    const state = current(engine, store, c.Id);
    if (state.Status === 'paused') throw conflict(`Container ${c.Id} is already paused`);
    if (state.Status !== 'running') throw conflict(`Container ${c.Id} is not running`);
    await openCgroups().freeze(engine.host, parseCgroupPlan(state.Cgroup));
    store.writeState(c.Id, { ...store.readState(c.Id), Status: 'paused' });
  });
}

export async function unpauseContainer(engine: Engine, store: ContainerStore, c: Container): Promise<void> {
  await store.locked(c.Id, async () => {
    const state = current(engine, store, c.Id);
    if (state.Status !== 'paused') throw conflict(`Container ${c.Id} is not paused`);
    await openCgroups().thaw(engine.host, parseCgroupPlan(state.Cgroup));
    store.writeState(c.Id, { ...store.readState(c.Id), Status: 'running' });
  });
}

/** Block until the container is not running; its exit code (docker's `wait`). */
export async function waitContainer(engine: Engine, store: ContainerStore, c: Container): Promise<number> {
  for (;;) {
    if (!store.exists(c.Id)) throw new MinidockError(`No such container: ${c.Id}`, { kind: 'not-found' });
    const state = current(engine, store, c.Id);
    if (state.Status === 'created' || state.Status === 'exited' || state.Status === 'dead') return state.ExitCode;
    if (state.Status === 'running' || state.Status === 'paused') {
      await waitForExit(state, 1000, exitFileExists(engine, c.Id));
    } else {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
