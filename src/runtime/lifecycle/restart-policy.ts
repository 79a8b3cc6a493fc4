// docker's restart policies (`--restart no|on-failure[:N]|always|unless-stopped`) and its
// back-off: 100 ms, doubling after each restart, at most a minute, reset when a run lasted
// ten seconds or more (moby restartmanager).

export interface Policy {
  Name: string;
  MaximumRetryCount: number;
}

export function shouldRestart(policy: Policy, exitCode: number, restartCount: number, manuallyStopped: boolean): boolean {
  if (manuallyStopped) return false;
  switch (policy.Name) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return exitCode !== 0 && (policy.MaximumRetryCount <= 0 || restartCount < policy.MaximumRetryCount);
    default:
      return false;
  }
}

export const BACKOFF_START_MS = 100;
export const BACKOFF_MAX_MS = 60_000;

/** Delay before restart number `restartCount + 1`, given how long the last run lasted. */
export function restartDelay(restartCount: number, ranForMs: number): number {
  if (ranForMs >= 10_000) return BACKOFF_START_MS;
  return Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** Math.min(restartCount, 20));
}
