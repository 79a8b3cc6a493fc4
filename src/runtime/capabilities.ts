// Linux capabilities for --cap-add/--cap-drop/--privileged: names as docker normalises them
// (docker/cli opts/capabilities.go, moby oci/caps), docker's default set, and the bit mask
// /proc/<pid>/status shows (CapEff 00000000a80425fb for the default set).
import { usageError as badValue } from '../errors.js';

/** Capability names by number (linux/capability.h), without the CAP_ prefix. */
export const CAPABILITIES: readonly string[] = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
  'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
  'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
  'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
  'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
  'CHECKPOINT_RESTORE',
];

/** Docker's default capability set (oci/caps/defaults.go), in its order. */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

export const ALL = 'ALL';

/** All capabilities the kernel knows, up to /proc/sys/kernel/cap_last_cap. */
export function allCapabilities(lastCap = CAPABILITIES.length - 1): string[] {
  return CAPABILITIES.slice(0, lastCap + 1).map((c) => `CAP_${c}`);
}

/** NormalizeCapability: trim, upper-case, add CAP_ (ALL stays ALL). */
export function normalizeCapability(c: string): string {
  c = c.trim().toUpperCase();
  if (c === ALL || c === 'RESET') return c;
  return c.startsWith('CAP_') ? c : `CAP_${c}`;
}

/**
 * EffectiveCapAddCapDrop (CLI): normalised, de-duplicated, sorted; a capability both added and
 * dropped is only added; ALL in a list stands alone.
 */
export function effectiveCapAddDrop(add: readonly string[], drop: readonly string[]): { add: string[]; drop: string[] } {
  let a = new Set(add.map(normalizeCapability));
  let d = new Set(drop.map(normalizeCapability));
  if (a.has(ALL)) a = new Set([ALL]);
  if (d.has(ALL)) d = new Set([ALL]);
  for (const c of a) d.delete(c);
  return { add: [...a].sort(), drop: [...d].sort() };
}

function checkKnown(caps: string[], known: readonly string[]): void {
  for (const c of caps) if (c !== ALL && !known.includes(c)) throw badValue(`unknown capability: ${JSON.stringify(c)}`);
}

/**
 * TweakCapabilities (daemon): the capability list a container gets from the defaults, the
 * --cap-add/--cap-drop lists and --privileged.
 */
export function resolveCapabilities(opts: {
  add?: readonly string[];
  drop?: readonly string[];
  privileged?: boolean;
  defaults?: readonly string[];
  lastCap?: number;
}): string[] {
  const all = allCapabilities(opts.lastCap);
  if (opts.privileged) return all;
  const { add, drop } = effectiveCapAddDrop(opts.add ?? [], opts.drop ?? []);
  checkKnown(add, all);
  checkKnown(drop, all);
  const basics = opts.defaults ?? DEFAULT_CAPABILITIES;
  let caps: string[];
  if (add.includes(ALL)) caps = all.filter((c) => !drop.includes(c));
  else if (drop.includes(ALL)) caps = add;
  else caps = [...basics.filter((c) => !drop.includes(c)), ...add.filter((c) => !basics.includes(c))];
  return caps;
}

/** The bit mask of a capability list, as /proc/<pid>/status prints CapEff: 16 hex digits. */
export function capabilityMask(caps: readonly string[]): string {
  let mask = 0n;
  for (const c of caps) {
    const n = CAPABILITIES.indexOf(c.replace(/^CAP_/, ''));
    if (n < 0) throw badValue(`unknown capability: ${JSON.stringify(c)}`);
    mask |= 1n << BigInt(n);
  }
  return mask.toString(16).padStart(16, '0');
}
