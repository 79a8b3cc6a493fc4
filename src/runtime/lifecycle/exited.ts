// The shim's exit hook (`minidock container cleanup ID`): runs after a detached container's
// process ended. It records the exit, frees the host resources, removes `--rm` containers
// and applies the restart policy with docker's back-off.
import type { Engine } from '../../engine.js';
import type { ContainerStore } from '../store.js';
import { finalizeExit } from './exit.js';
import { removeLocked } from './remove.js';
import { restartDelay, shouldRestart } from './restart-policy.js';
import { startContainer } from './start.js';

export async function containerExited(engine: Engine, store: ContainerStore, id: string): Promise<void> {
  let delay: number | undefined;
  await store.locked(id, async () => {
    if (!store.exists(id)) return;
    const c = store.readContainer(id);
    const state = await finalizeExit(engine, store, id);
    if (state.Status !== 'exited') return;
    if (c.HostConfig.AutoRemove) {
      await removeLocked(engine, store, c);
      return;
    }
    if (shouldRestart(c.HostConfig.RestartPolicy, state.ExitCode, state.RestartCount, state.ManuallyStopped)) {
      const ranFor = Date.parse(state.FinishedAt) - Date.parse(state.StartedAt);
      delay = restartDelay(state.RestartCount, Number.isFinite(ranFor) ? ranFor : 0);
      store.writeState(id, { ...state, Status: 'restarting' });
    }
  });
  if (delay === undefined) return;
  await new Promise((r) => setTimeout(r, delay));
  await store.locked(id, async () => {
    if (!store.exists(id)) return;
    const state = store.readState(id);
    if (state.Status !== 'restarting' || state.ManuallyStopped) return;
    const c = store.readContainer(id);
    try {
      await startContainer(engine, store, c, { ...state, RestartCount: state.RestartCount + 1 }, { kind: 'detach' });
    } catch (err) {
      store.writeState(id, { ...store.readState(id), Status: 'exited', Error: (err as Error).message });
    }
  });
}
