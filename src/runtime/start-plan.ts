// The start of a container as data: two fstab files (mounted with `mount --all --fstab`, one
// util-linux process for dozens of mounts) and the argv of the start chain
//
//   [minidock-shim monitor --pid-ns: PID 1 of a new PID namespace]
//   sh (join cgroups) → unshare (mount, uts, ipc, net, cgroup namespaces) → sh SETUP (mounts,
//   hostname, lo, mount --move) → minidock-shim enter (caps, user, cwd, env) → the command
//
// Every step execs the next, so the container's init is the shim's own child. (The shim
// makes the PID namespace rather than `unshare --pid --fork`: util-linux 2.38's unshare
// reports a SIGKILLed child as exit 1, and docker users expect 137.)
//
// Pure: golden-tested, printed by `run --dry-run`. User values (paths, hostname, the command)
// reach the scripts only as positional arguments or fstab fields, never as script text.

import { OVERLAY_FIXED_OPTIONS } from '../overlay/mount.js';

export interface BindMount {
  kind: 'bind';
  source: string;
  /** Target relative to the rootfs, symlink-free (resolved by LayeredView). */
  target: string;
  readOnly: boolean;
  /** Made inside a parent bind mount's source by prepare: libmount must create nothing. */
  prepared?: boolean;
}
export interface TmpfsMount {
  kind: 'tmpfs';
  target: string;
  options: string;
  prepared?: boolean;
}
export type PlannedMount = BindMount | TmpfsMount;

export interface StartPlanInput {
  /** Where the overlay is mounted before `mount --move` (containers/<id>/rootfs). */
  rootfs: string;
  /** cwd of the overlay mount: lower dirs may be given relative to it (short mount options). */
  snapshotsDir: string;
  /** Overlay lower dirs, top first (the container's init layer, then the image's layers). */
  lowerDirs: string[];
  upperDir: string;
  workDir: string;
  /** Files and directories copied into the container's /dev tmpfs. */
  devSkeleton: string;
  hostname: string;
  privileged: boolean;
  readOnly: boolean;
  /** New network namespace from unshare (with lo brought up), or join one at this path, or the host's. */
  network: { kind: 'new' } | { kind: 'path'; path: string } | { kind: 'host' };
  /** Mount a read-only cgroup2 at /sys/fs/cgroup (pure v2 hosts). */
  cgroup2: boolean;
  /** Masked paths (absolute, in /proc and /sys, only those that exist on this kernel). */
  maskedFiles: string[];
  maskedDirs: string[];
  readonlyPaths: string[];
  /** /etc/hosts, /etc/hostname, /etc/resolv.conf and user mounts, in mount order. */
  mounts: PlannedMount[];
  /** cgroup.procs files the start chain writes its PID into before unshare. */
  cgroupProcs: string[];
  /** Absolute paths of the helpers (never looked up in PATH: PATH comes from the image). */
  tools: { sh: string; unshare: string; nsenter: string; shim: string };
  /** argv after `minidock-shim enter`. */
  enterArgs: string[];
}

/** fstab(5) fields escape whitespace and backslashes as octal. */
export function fstabEscape(s: string): string {
  return s.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

function entry(source: string, target: string, type: string, options: string): string {
  return `${fstabEscape(source)} ${fstabEscape(target)} ${type} ${options} 0 0`;
}

const DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];

function join(root: string, rel: string): string {
  return rel === '' ? root : `${root}/${rel.replace(/^\/+/, '')}`;
}

/** Overlay option values escape ',' ':' and '\' with a backslash (fs/overlayfs/params.c). */
function overlayEscape(p: string): string {
  return p.replace(/[\\,:]/g, (c) => `\\${c}`);
}

export function planFstabs(p: StartPlanInput): { fstabRoot: string; fstabMounts: string } {
  const R = p.rootfs;
  const lower = p.lowerDirs.map(overlayEscape).join(':');
  // index/redirect_dir/metacopy off: the upper dir must hold plain files and whiteouts only,
  // because `diff`, `cp` and `commit` read it directly (see src/overlay/mount.ts).
  const rootOpts = [`lowerdir=${lower}`, `upperdir=${overlayEscape(p.upperDir)}`, `workdir=${overlayEscape(p.workDir)}`, ...OVERLAY_FIXED_OPTIONS, ...(p.privileged ? [] : ['nodev'])].join(',');
  const root = [
    entry('overlay', R, 'overlay', rootOpts),
    entry('proc', `${R}/proc`, 'proc', 'nosuid,nodev,noexec,X-mount.mkdir'),
    entry('sysfs', `${R}/sys`, 'sysfs', `${p.privileged ? 'rw' : 'ro'},nosuid,nodev,noexec,X-mount.mkdir`),
    entry('tmpfs', `${R}/dev`, 'tmpfs', 'nosuid,nodev,mode=755,size=65536k,X-mount.mkdir'),
  ];
  const mounts: string[] = [];
  for (const d of DEVICES) mounts.push(entry(`/dev/${d}`, `${R}/dev/${d}`, 'none', 'bind'));
  mounts.push(entry('devpts', `${R}/dev/pts`, 'devpts', 'newinstance,ptmxmode=0666,mode=0620,gid=5,nosuid,noexec'));
  mounts.push(entry('shm', `${R}/dev/shm`, 'tmpfs', 'nosuid,nodev,noexec,mode=1777,size=65536k'));
  mounts.push(entry('mqueue', `${R}/dev/mqueue`, 'mqueue', 'nosuid,nodev,noexec'));
  if (p.cgroup2) mounts.push(entry('cgroup2', `${R}/sys/fs/cgroup`, 'cgroup2', `${p.privileged ? 'rw' : 'ro'},nosuid,nodev,noexec`));
  if (!p.privileged) {
    for (const f of p.maskedFiles) mounts.push(entry('/dev/null', `${R}${f}`, 'none', 'bind'));
    for (const d of p.maskedDirs) mounts.push(entry('tmpfs', `${R}${d}`, 'tmpfs', 'ro,nosuid,nodev,noexec,size=0k'));
    for (const r of p.readonlyPaths) mounts.push(entry(`${R}${r}`, `${R}${r}`, 'none', 'bind,ro,nosuid,nodev,noexec'));
  }
  for (const m of p.mounts) {
    const target = join(R, m.target);
    const mkdir = m.prepared ? '' : ',X-mount.mkdir';
    // cgroup v2 has no devices controller and minidock attaches no device eBPF program, so on
    // v2 nothing else stops a device node that a container mknods in a volume from opening
    // the host's disk (CAP_MKNOD is a default capability): its binds are nodev there.
    const nodev = p.cgroup2 && !p.privileged ? ',nodev' : '';
    if (m.kind === 'bind') mounts.push(entry(m.source, target, 'none', `rbind${m.readOnly ? ',ro' : ''}${nodev}${mkdir}`));
    else mounts.push(entry('tmpfs', target, 'tmpfs', `${m.options}${mkdir}`));
  }
  return { fstabRoot: root.join('\n') + '\n', fstabMounts: mounts.join('\n') + '\n' };
}

/**
 * The script that runs as PID 1 of the new namespaces, on the host's /bin/sh, before the
 * container's own process exists. Its text never changes; everything else is an argument.
 */
export const SETUP_SCRIPT = [
  'set -eu',
  '# $1 snapshots dir  $2 fstab (rootfs, /proc, /sys, /dev)  $3 /dev skeleton  $4 rootfs',
  '# $5 fstab (devices, masks, read-only paths, /etc files, volumes)  $6 hostname  $7 lo up?  $8 read-only?',
  'cd "$1"',
  'mount --all --fstab "$2"',
  'cp -a "$3/." "$4/dev/"',
  'mount --all --fstab "$5"',
  'echo "$6" > /proc/sys/kernel/hostname',
  'if [ "$7" = 1 ]; then ip link set lo up; fi',
  'if [ "$8" = 1 ]; then mount -o remount,bind,ro "$4"; fi',
  'cd "$4"',
  'mount --move . /',
  'shift 8',
  'exec "$@"',
].join('\n');

/**
 * One shell line that moves the (single-threaded) shell into the cgroup of each cgroup.procs
 * file in "$1"…: through the v1 hierarchy's `tasks` file as thread 0 (itself) when there is
 * one, else through cgroup.procs. A write of a *process* to cgroup.procs takes the kernel's
 * global cgroup_threadgroup_rwsem for writing, which waits for an RCU grace period: 5-20 ms
 * on the dev VM, once per run and exec. Moving the current thread through `tasks` skips
 * that lock on recent kernels (measured on 6.18: 1.5 ms instead of 5-20 ms); a kernel that
 * takes it anyway costs what cgroup.procs did. cgroup v2 has no `tasks`: there "0" in
 * cgroup.procs is the current process. A cgroup that cannot be joined stops the chain: no
 * container runs outside its limits.
 */
export const JOIN_LOOP =
  'while [ "$n" -gt 0 ]; do t=${1%cgroup.procs}tasks; if [ -e "$t" ]; then echo 0 > "$t" || exit 1; else echo 0 > "$1" || exit 1; fi; shift; n=$((n - 1)); done';

/** Joins the cgroups of its cgroup.procs files (JOIN_LOOP), then becomes the rest of the chain. */
export const JOIN_CGROUPS_SCRIPT = `n=$1; shift; ${JOIN_LOOP}; exec "$@"`;

/** `fstabs`: where planFstabs' two files were written. */
export function planStart(p: StartPlanInput, fstabs: { root: string; mounts: string }): string[] {
  const unshare = [p.tools.unshare, '--mount', '--uts', '--ipc', '--cgroup', '--propagation', 'private'];
  if (p.network.kind === 'new') unshare.splice(4, 0, '--net');
  const prefix: string[] = [];
  if (p.network.kind === 'path') prefix.push(p.tools.nsenter, `--net=${p.network.path}`, '--');
  const setup = [
    p.tools.sh,
    '-c',
    SETUP_SCRIPT,
    'minidock-setup',
    p.snapshotsDir,
    fstabs.root,
    p.devSkeleton,
    p.rootfs,
    fstabs.mounts,
    p.hostname,
    p.network.kind === 'host' ? '0' : '1',
    p.readOnly ? '1' : '0',
    p.tools.shim,
    'enter',
    ...p.enterArgs,
  ];
  return [p.tools.sh, '-c', JOIN_CGROUPS_SCRIPT, 'minidock-join', String(p.cgroupProcs.length), ...p.cgroupProcs, ...prefix, ...unshare, '--', ...setup];
}
