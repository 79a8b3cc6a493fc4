// What a container is doing right now. state.json says what the engine last recorded; the
// processes may have moved on since (a container exits on its own, a shim is SIGKILLed), so
// readers compare it with the kernel: is the recorded PID (with its start time) still ours,
// and has the shim left an exit file?
import { readFileSync } from 'node:fs';
import { processStartTime } from '../../state/lock.js';
import { ExitFileSchema, type ExitFile, type State } from '../model.js';

/**
 * A PID is ours if it exists and started when we recorded (PIDs are reused). A zombie is not
 * alive: a container init whose shim was SIGKILLed is reparented to the host's init and stays
 * a zombie until that reaps it, which some inits (this VM's) do only now and then.
 */
export function isAlive(pid: number, start?: string): boolean {
  if (!pid) return false;
  const now = processStartTime(pid);
  if (now === undefined) return false;
  return start === undefined || now === start;
}

export function readExitFile(path: string): ExitFile | undefined {
  try {
    const parsed = ExitFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Exit code docker reports when the container's processes vanished without a recorded status. */
export const LOST_EXIT_CODE = 255;

/**
 * The state as it is now, without changing anything on disk: a recorded "running" container
 * whose init is gone is shown exited (with the shim's exit file when there is one).
 */
export function liveState(state: State, exitFilePath: string): State {
  if (state.Status !== 'running' && state.Status !== 'paused') return state;
  if (isAlive(state.Pid, state.PidStart)) return state;
  const exit = readExitFile(exitFilePath);
  if (!exit && isAlive(state.ShimPid, state.ShimStart)) return state; // the shim is writing it now
  return {
    ...state,
    Status: 'exited',
    Pid: 0,
    ExitCode: exit ? exit.exitCode : LOST_EXIT_CODE,
    // Without an exit file nobody saw it end: "now" is when it was first noticed (finalizeExit
    // records that). The recorded FinishedAt is a previous run's, or the zero time.
    FinishedAt: exit ? exit.finishedAt : new Date().toISOString(),
    Error: exit ? state.Error : 'the container\'s processes and its shim are gone',
  };
}
