// Which cgroup layout this host has, and where this process sits in it. Parsing takes the
// text of /proc/self/mountinfo and /proc/self/cgroup as strings, so every layout (pure v2,
// hybrid, pure v1, cpu+cpuacct co-mounted, inside a cgroup namespace) is unit-testable;
// only the probes for optional files (swap accounting, v2 controllers) read the filesystem.
// Background: https://docs.kernel.org/admin-guide/cgroup-v2.html and
// https://docs.kernel.org/admin-guide/cgroup-v1/cgroups.html
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { MinidockError } from '../errors.js';

export const DEFAULT_CGROUP_ROOT = '/sys/fs/cgroup';

export type CgroupMode = 'v1' | 'v2';

export interface MountInfoEntry {
  /** The part of the filesystem that is mounted (field 4): not `/` inside a cgroup namespace or a bind. */
  root: string;
  mountpoint: string;
  fstype: string;
  superOptions: string[];
}

export interface ProcCgroupEntry {
  /** Hierarchy id; 0 is the unified (v2) hierarchy. */
  id: number;
  /** v1 controllers of the hierarchy (`cpu,cpuacct` → two), `name=systemd` kept as is; empty for v2. */
  controllers: string[];
  /** This process's cgroup, relative to the hierarchy's root. */
  path: string;
}

export interface V1Hierarchy {
  controllers: string[];
  mountpoint: string;
  /** The directory of this process's own cgroup in this hierarchy; undefined if it is not visible. */
  ownDir?: string;
}

export interface V1Layout {
  mode: 'v1';
  root: string;
  hierarchies: V1Hierarchy[];
  /** Hybrid hosts: where cgroup2 is mounted beside the v1 controllers (not used for limits). */
  unified?: string;
  /** The kernel accounts swap (`memory.memsw.*` exist; boot option swapaccount=1). */
  swapAccounting: boolean;
}

export interface V2Layout {
  mode: 'v2';
  root: string;
  ownDir?: string;
  /** Controllers the kernel offers at the root (`cgroup.controllers`). */
  rootControllers: string[];
  /** Controllers offered to children of this process's cgroup (its `cgroup.controllers`). */
  ownControllers: string[];
  swapAccounting: boolean;
}

export type CgroupLayout = V1Layout | V2Layout;

/** /proc/PID/mountinfo, see proc(5): `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`. */
export function parseMountinfo(text: string): MountInfoEntry[] {
  const out: MountInfoEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const fields = line.split(' ');
    const dash = fields.indexOf('-', 6);
    if (dash < 0 || fields.length < dash + 3) continue;
    out.push({
      root: unescapeOctal(fields[3]),
      mountpoint: unescapeOctal(fields[4]),
      fstype: fields[dash + 1],
      superOptions: (fields[dash + 3] ?? '').split(','),
    });
  }
  return out;
}

/** The kernel writes space, tab, newline and backslash in paths as \040 \011 \012 \134. */
function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** /proc/self/cgroup, see cgroups(7): `hierarchy-ID:controller-list:cgroup-path`. */
export function parseProcCgroup(text: string): ProcCgroupEntry[] {
  const out: ProcCgroupEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    out.push({ id: Number(m[1]), controllers: m[2] ? m[2].split(',') : [], path: m[3] });
  }
  return out;
}

export interface DetectInput {
  mountinfo: string;
  selfCgroup: string;
  /** Where the cgroup filesystems are mounted; tests point this at a temp dir. */
  root?: string;
}

/** Mode and paths, from the two proc files and the optional files under `root`. */
export function detectCgroups(input: DetectInput): CgroupLayout {
  const root = posix.normalize(input.root ?? DEFAULT_CGROUP_ROOT).replace(/\/$/, '');
  const mounts = parseMountinfo(input.mountinfo).filter((m) => m.fstype === 'cgroup' || m.fstype === 'cgroup2');
  const self = parseProcCgroup(input.selfCgroup);
  const atRoot = mounts.find((m) => m.mountpoint === root);
  if (atRoot?.fstype === 'cgroup2') return detectV2(root, atRoot, self);
  const under = mounts.filter((m) => m.mountpoint.startsWith(root + '/'));
  const v1 = under.filter((m) => m.fstype === 'cgroup');
  if (v1.length === 0) {
    throw new MinidockError(`no cgroup filesystem is mounted at ${root}`, {
      kind: 'host',
      hint: 'mount cgroup2 at /sys/fs/cgroup (or the v1 controllers beneath it)',
      context: { root },
    });
  }
  return detectV1(root, v1, under.find((m) => m.fstype === 'cgroup2'), self);
}

function detectV2(root: string, mount: MountInfoEntry, self: ProcCgroupEntry[]): V2Layout {
  const own = self.find((e) => e.id === 0);
  const ownDir = own ? dirOf(mount, own.path) : undefined;
  const rootControllers = readControllers(join(root, 'cgroup.controllers'));
  const ownControllers = ownDir ? readControllers(join(ownDir, 'cgroup.controllers')) : rootControllers;
  // memory.swap.max sits beside memory.max in every non-root cgroup with the memory controller
  // when the kernel accounts swap (CONFIG_SWAP, no swapaccount=0). The root has neither file,
  // so only a non-root cgroup of ours that shows memory.max can tell; otherwise assume yes.
  const shows = ownDir !== undefined && ownDir !== root && existsSync(join(ownDir, 'memory.max'));
  const swapAccounting = rootControllers.includes('memory') && (!shows || existsSync(join(ownDir!, 'memory.swap.max')));
  return { mode: 'v2', root, ownDir, rootControllers, ownControllers, swapAccounting };
}

function detectV1(root: string, mounts: MountInfoEntry[], unified: MountInfoEntry | undefined, self: ProcCgroupEntry[]): V1Layout {
  const hierarchies: V1Hierarchy[] = [];
  const seen = new Set<string>();
  for (const entry of self) {
    if (entry.id === 0 || entry.controllers.length === 0) continue;
    // A hierarchy may be mounted twice (a bind): the first mount below root wins.
    const mount = mounts.find((m) => entry.controllers.every((c) => m.superOptions.includes(c)));
    if (!mount || seen.has(mount.mountpoint)) continue;
    seen.add(mount.mountpoint);
    hierarchies.push({ controllers: entry.controllers, mountpoint: mount.mountpoint, ownDir: dirOf(mount, entry.path) });
  }
  const memory = hierarchies.find((h) => h.controllers.includes('memory'));
  // Swap accounting is a boot-time switch (swapaccount=1); the root cgroup shows the files when it is on.
  const swapAccounting = memory !== undefined && existsSync(join(memory.mountpoint, 'memory.memsw.limit_in_bytes'));
  return { mode: 'v1', root, hierarchies, unified: unified?.mountpoint, swapAccounting };
}

/**
 * The directory of a cgroup path as seen through a mount. Inside a cgroup namespace or a
 * bind of a sub-tree the mount's root is not `/`; a cgroup outside the mounted part (the
 * kernel shows it as `/..`) has no directory here.
 */
function dirOf(mount: MountInfoEntry, cgroupPath: string): string | undefined {
  const path = posix.normalize(cgroupPath.replace(/ \(deleted\)$/, ''));
  const rel = posix.relative(mount.root, path);
  if (rel.startsWith('..') || posix.isAbsolute(rel)) return undefined;
  return rel ? posix.join(mount.mountpoint, rel) : mount.mountpoint;
}

function readControllers(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

/** The layout of this host, from this process's own /proc files. */
export function readCgroupLayout(root: string = DEFAULT_CGROUP_ROOT): CgroupLayout {
  return detectCgroups({
    root,
    mountinfo: readFileSync('/proc/self/mountinfo', 'utf8'),
    selfCgroup: readFileSync('/proc/self/cgroup', 'utf8'),
  });
}
