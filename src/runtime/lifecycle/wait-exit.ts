// Waiting for a container's process to end: its init PID disappears (or is reused) and the
// shim writes the exit file. Polling is cheap here and needs no daemon to deliver an event.
import type { State } from '../model.js';
import { isAlive } from './status.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** true if the process ended within `timeoutMs` (Infinity waits forever). */
export async function waitForExit(state: Pick<State, 'Pid' | 'PidStart' | 'ShimPid' | 'ShimStart'>, timeoutMs: number, exitFileExists: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    const initGone = !isAlive(state.Pid, state.PidStart);
    if (initGone && (exitFileExists() || !isAlive(state.ShimPid, state.ShimStart))) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
  }
}
