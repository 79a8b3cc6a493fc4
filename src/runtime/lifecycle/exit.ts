// When a container's process has ended: record how (exit code, OOM kill) and release what
// the run held on the host (its cgroups). Idempotent, and called by whoever notices first:
// the foreground `run`, `stop`, `rm`, `start`, or the shim's exit hook (`container cleanup`).
import { openCgroups, parseCgroupPlan } from '../../cgroups/index.js';
import type { Engine } from '../../engine.js';
import type { State } from '../model.js';
import { containerPaths } from '../prepare.js';
import type { ContainerStore } from '../store.js';
import { liveState } from './status.js';
import { detachNetworks } from '../network/index.js';

/** Call with the container's lock held. Returns the final state (unchanged if still running). */
export async function finalizeExit(engine: Engine, store: ContainerStore, id: string): Promise<State> {
  const recorded = store.readState(id);
  const state = liveState(recorded, containerPaths(engine, id).exitFile);
  if (state.Status === 'running' || state.Status === 'paused') return state;
  if (!recorded.Cgroup && recorded.Status === state.Status && recorded.ExitCode === state.ExitCode) return state;
  let oomKilled = state.OOMKilled;
  if (recorded.Cgroup) {
    const plan = parseCgroupPlan(recorded.Cgroup);
    const cgroups = openCgroups();
    oomKilled = oomKilled || (await cgroups.oomKillCount(plan).catch(() => 0)) > 0;
    // Normally empty by now (the pid namespace died with its init); stragglers are killed.
    if ((await cgroups.pids(plan).catch(() => [])).length) await cgroups.kill(engine.host, plan).catch(() => {});
    await cgroups.remove(engine.host, plan);
  }
  // The netns, veths and port rules of this run go; the address stays reserved for a restart.
  await detachNetworks(engine, { Id: id });
  const final: State = { ...state, Status: state.Status === 'restarting' ? 'restarting' : state.Status, OOMKilled: oomKilled, Pid: 0, Cgroup: null };
  store.writeState(id, final);
  return final;
}
