// Linux capabilities: docker's default set (CapEff 00000000a80425fb), `--cap-add`/`--cap-drop`
// (names with or without CAP_, any case, ALL) and `--privileged`, turned into the bounding
// set mask that `minidock-shim enter --caps` applies. See capabilities(7).
import { MinidockError } from '../errors.js';

/** Capability numbers, from linux/capability.h. */
export const CAPABILITIES: Record<string, number> = {
  CHOWN: 0, DAC_OVERRIDE: 1, DAC_READ_SEARCH: 2, FOWNER: 3, FSETID: 4, KILL: 5, SETGID: 6, SETUID: 7,
  SETPCAP: 8, LINUX_IMMUTABLE: 9, NET_BIND_SERVICE: 10, NET_BROADCAST: 11, NET_ADMIN: 12, NET_RAW: 13,
  IPC_LOCK: 14, IPC_OWNER: 15, SYS_MODULE: 16, SYS_RAWIO: 17, SYS_CHROOT: 18, SYS_PTRACE: 19, SYS_PACCT: 20,
  SYS_ADMIN: 21, SYS_BOOT: 22, SYS_NICE: 23, SYS_RESOURCE: 24, SYS_TIME: 25, SYS_TTY_CONFIG: 26, MKNOD: 27,
  LEASE: 28, AUDIT_WRITE: 29, AUDIT_CONTROL: 30, SETFCAP: 31, MAC_OVERRIDE: 32, MAC_ADMIN: 33, SYSLOG: 34,
  WAKE_ALARM: 35, BLOCK_SUSPEND: 36, AUDIT_READ: 37, PERFMON: 38, BPF: 39, CHECKPOINT_RESTORE: 40,
};

/** moby oci/caps/defaults.go */
export const DEFAULT_CAPABILITIES = [
  'CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID',
  'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE',
];

/** `net_admin`, `CAP_NET_ADMIN`, `Net_Admin` → `NET_ADMIN`; `all` → `ALL`. */
export function normalizeCapability(name: string): string {
  const n = name.trim().toUpperCase().replace(/^CAP_/, '');
  if (n !== 'ALL' && !(n in CAPABILITIES)) {
    throw new MinidockError(`invalid capability: ${name}`, { kind: 'usage', hint: `known: ${Object.keys(CAPABILITIES).join(', ')}` });
  }
  return n;
}

/** docker's TweakCapabilities: defaults, then drops, then adds (ALL in either means every capability). */
export function containerCapabilities(o: { add: string[]; drop: string[]; privileged: boolean }): string[] {
  const all = Object.keys(CAPABILITIES);
  if (o.privileged) return all;
  const add = o.add.map(normalizeCapability);
  const drop = o.drop.map(normalizeCapability);
  let caps = drop.includes('ALL') ? [] : DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c));
  if (add.includes('ALL')) caps = all.filter((c) => !drop.includes(c) || add.includes(c));
  for (const c of add) if (c !== 'ALL' && !caps.includes(c)) caps.push(c);
  return all.filter((c) => caps.includes(c));
}

/** The capability set as the hex mask /proc/PID/status shows (CapEff: 00000000a80425fb). */
export function capabilityMask(caps: string[]): string {
  let mask = 0n;
  for (const c of caps) mask |= 1n << BigInt(CAPABILITIES[normalizeCapability(c)]);
  return mask.toString(16).padStart(16, '0');
}
