// `rm`: a stopped container's files go; a running one only with `-f` (SIGKILL first).
import { existsSync } from 'node:fs';
import { openCgroups, parseCgroupPlan } from '../../cgroups/index.js';
import type { Engine } from '../../engine.js';
import { MinidockError, conflict } from '../../errors.js';
import type { Container } from '../model.js';
import { containerPaths } from '../prepare.js';
import type { ContainerStore } from '../store.js';
import { finalizeExit } from './exit.js';
import { liveState } from './status.js';
import { waitForExit } from './wait-exit.js';
import { removeContainerVolumes } from '../volumes/index.js';
import { detachNetworks } from '../network/index.js';

export interface RemoveOptions {
  force?: boolean;
  /** `-v`: also remove the container's anonymous volumes. */
  volumes?: boolean;
  /** Called with the container once it is stopped, before its files go (volumes, networks). */
  beforeRemove?: (c: Container) => Promise<void>;
}

/** Call with the container's lock held. */
export async function removeLocked(engine: Engine, store: ContainerStore, c: Container, opts: RemoveOptions = {}): Promise<void> {
  const p = containerPaths(engine, c.Id);
  let state = liveState(store.readState(c.Id), p.exitFile);
  if (state.Status === 'running' || state.Status === 'paused' || state.Status === 'restarting') {
    if (!opts.force) {
      throw conflict(`You cannot remove a ${state.Status} container ${c.Id}. Stop the container before attempting removal or force remove`);
    }
    store.writeState(c.Id, { ...store.readState(c.Id), ManuallyStopped: true, Status: state.Status === 'restarting' ? 'exited' : state.Status });
    if (state.Status !== 'restarting') {
      if (state.Cgroup) await openCgroups().kill(engine.host, parseCgroupPlan(state.Cgroup), 'SIGKILL');
      else engine.host.kill(state.Pid, 'SIGKILL', 'rm -f');
      if (!(await waitForExit(state, 10_000, () => existsSync(p.exitFile)))) {
        throw new MinidockError(`container ${c.Id.slice(0, 12)} did not exit after SIGKILL`, { kind: 'host' });
      }
    }
  }
  state = await finalizeExit(engine, store, c.Id);
  store.writeState(c.Id, { ...state, Status: 'removing' });
  await opts.beforeRemove?.(c);
  await detachNetworks(engine, c, { release: true });
  store.removeFiles(c.Id);
  // docker: `rm -v` and `--rm` remove the container's anonymous volumes (never named ones).
  if (opts.volumes || c.HostConfig.AutoRemove) await removeContainerVolumes(engine, c);
}

export async function removeContainer(engine: Engine, store: ContainerStore, c: Container, opts: RemoveOptions = {}): Promise<void> {
  await store.locked(c.Id, () => removeLocked(engine, store, c, opts));
}
