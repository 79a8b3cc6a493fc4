// --restart no|on-failure[:max-retries]|always|unless-stopped: the CLI's parse
// (opts.ParseRestartPolicy) and the daemon's check (container.ValidateRestartPolicy).
import { badValue } from './flag-error.js';
import { atoi } from './strconv.js';

export type RestartPolicyName = 'no' | 'on-failure' | 'always' | 'unless-stopped';

export interface RestartPolicy {
  Name: RestartPolicyName;
  MaximumRetryCount: number;
}

const NAMES: readonly string[] = ['no', 'always', 'on-failure', 'unless-stopped'];

/** Parses and validates a --restart value. An empty value means the default, `no`. */
export function parseRestartPolicy(policy: string): RestartPolicy {
  if (policy === '') return { Name: 'no', MaximumRetryCount: 0 };
  const colon = policy.indexOf(':');
  const name = colon < 0 ? policy : policy.slice(0, colon);
  const count = colon < 0 ? '' : policy.slice(colon + 1);
  if (colon >= 0 && name === '') throw badValue('invalid restart policy format: no policy provided before colon');
  let max = 0;
  if (count !== '') {
    try {
      max = atoi(count);
    } catch {
      throw badValue('invalid restart policy format: maximum retry count must be an integer');
    }
  }
  if (!NAMES.includes(name)) {
    throw badValue(`invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  }
  if (name !== 'on-failure' && max !== 0) {
    throw badValue(
      `invalid restart policy: maximum retry count can only be used with 'on-failure'${max < 0 ? ' and cannot be negative' : ''}`,
    );
  }
  if (max < 0) throw badValue('invalid restart policy: maximum retry count cannot be negative');
  return { Name: name as RestartPolicyName, MaximumRetryCount: max };
}

/** The CLI's cross-flag check for `run --rm --restart …`. */
export function checkRestartWithAutoRemove(policy: RestartPolicy, autoRemove: boolean): void {
  if (autoRemove && policy.Name !== 'no') throw badValue('conflicting options: cannot specify both --restart and --rm');
}
