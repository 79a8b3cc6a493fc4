// Everything a start needs, made ready on disk before any namespace exists: the container's
// init layer (mount points, so that /etc/hosts and friends never show up in `diff`), the /dev
// skeleton, /etc files, the user resolved from the image's passwd, the cgroup plan, the two
// fstab files and the start chain's argv.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CgroupPlan } from '../cgroups/driver.js';
import { openCgroups } from '../cgroups/index.js';
import type { Engine } from '../engine.js';
import type { Host } from '../host/host.js';
import { MinidockError } from '../errors.js';
import { Snapshots } from '../image/store/snapshots.js';
import { existingMasks, existingPaths } from './defaults.js';
import { renderHosts, renderResolvConf } from './etc-files.js';
import type { Container } from './model.js';
import { LayeredView } from './rootfs-view.js';
import { processEnv } from './spec.js';
import { planFstabs, planStart, type PlannedMount } from './start-plan.js';
import { tools } from './tools.js';
import { tmpfsMountOptions } from '../cli/parse/tmpfs.js';
import { resolveUser, type ExecUser } from './users.js';
import { capabilityMask, resolveCapabilities } from './capabilities.js';

export interface PreparedStart {
  argv: string[];
  cgroup: CgroupPlan;
  user: ExecUser;
}

export function containerPaths(engine: Engine, id: string) {
  const dir = engine.paths.container(id);
  return {
    dir,
    upper: join(dir, 'upper'),
    work: join(dir, 'work'),
    init: join(dir, 'init'),
    rootfs: join(dir, 'rootfs'),
    dev: join(dir, 'dev'),
    hosts: join(dir, 'hosts'),
    hostname: join(dir, 'hostname'),
    resolv: join(dir, 'resolv.conf'),
    fstabRoot: join(dir, 'fstab.root'),
    fstabMounts: join(dir, 'fstab.mounts'),
    log: join(dir, `${id}-json.log`),
    exitFile: join(dir, 'exit.json'),
  };
}

/** The image's layers as the view sees them: the container's upper dir, then snapshots top first. */
export function layeredView(engine: Engine, c: Container, withInit = false): LayeredView {
  const snaps = new Snapshots(engine);
  const p = containerPaths(engine, c.Id);
  // The init layer is the overlay's top lower dir: a start resolves mount targets with it, or
  // an image's `/etc -> elsewhere` would be followed where the kernel shows the init's /etc.
  return new LayeredView([p.upper, ...(withInit ? [p.init] : []), ...[...c.Layers].reverse().map((l) => snaps.fsDir(l))]);
}

export function resolveContainerUser(view: LayeredView, spec: string, groupAdd: string[] = []): ExecUser {
  const text = (p: string) => view.readFile(p)?.toString('utf8');
  return resolveUser(spec, text('/etc/passwd'), text('/etc/group'), groupAdd);
}

/** The symlinks of the container's /dev: [target, name]. */
const DEV_LINKS: readonly [string, string][] = [
  ['pts/ptmx', 'ptmx'],
  ['/proc/self/fd', 'fd'],
  ['/proc/self/fd/0', 'stdin'],
  ['/proc/self/fd/1', 'stdout'],
  ['/proc/self/fd/2', 'stderr'],
  ['/proc/kcore', 'core'],
];

type FsOp = { op: 'mkdir'; path: string } | { op: 'file'; path: string };

/**
 * Where a mount target lands: a symlink-free path relative to the rootfs. A missing target
 * is made (in `ops`) in the container's init layer, or in the /dev skeleton for /dev paths.
 */
function placeTarget(view: LayeredView, initDir: string, devDir: string, target: string, kind: 'dir' | 'file', ops: FsOp[]): string {
  if (!target.startsWith('/')) throw new MinidockError(`invalid mount config: mount path must be absolute: ${target}`, { kind: 'usage' });
  const clean = target.split('/').filter((p) => p && p !== '.');
  if (clean.length === 0) throw new MinidockError('invalid mount config: destination can\'t be \'/\'', { kind: 'usage' });
  if (clean.includes('..')) throw new MinidockError(`invalid mount config: ${target} must not contain '..'`, { kind: 'usage' });
  if (clean[0] === 'proc' || clean[0] === 'sys') {
    throw new MinidockError(`invalid mount config: ${target} is inside /${clean[0]}, which the kernel provides`, { kind: 'usage' });
  }
  if (clean[0] === 'dev') {
    // /dev is a fresh tmpfs filled from the skeleton: the target is made there. Not through
    // the skeleton's symlinks (fd, stdout, core…): they point into /proc, and making the
    // target followed them on the host (`-v f:/dev/stdout` truncated the CLI's own stdout).
    if (clean.length > 1 && DEV_LINKS.some(([, name]) => name === clean[1])) {
      throw new MinidockError(`invalid mount config: ${target}: /dev/${clean[1]} is a symbolic link in the container`, { kind: 'usage' });
    }
    const p = join(devDir, ...clean.slice(1));
    ops.push({ op: 'mkdir', path: kind === 'dir' ? p : join(p, '..') });
    if (kind === 'file') ops.push({ op: 'file', path: p });
    return clean.join('/');
  }
  const r = view.resolve('/' + clean.join('/'));
  if (r.stat) {
    if (kind === 'dir' && !r.stat.isDirectory()) throw new MinidockError(`cannot mount a directory onto ${target}: it is not a directory in the image`, { kind: 'usage' });
    if (kind === 'file' && r.stat.isDirectory()) throw new MinidockError(`cannot mount a file onto ${target}: it is a directory in the image`, { kind: 'usage' });
    return r.rel;
  }
  const p = join(initDir, r.rel);
  if (relative(initDir, p).startsWith('..')) throw new MinidockError(`mount target ${target} leaves the container's root`, { kind: 'invalid' });
  ops.push({ op: 'mkdir', path: kind === 'dir' ? p : join(p, '..') });
  if (kind === 'file') ops.push({ op: 'file', path: p });
  return r.rel;
}

/**
 * /proc, /sys and /dev are mounted by path before the container's root becomes `/`, so the
 * kernel resolves a symlink there against the *host's* root: an image with `/dev -> /` had
 * the /dev skeleton copied into the host's `/` and the container's tmpfs, proc and sysfs
 * mounted over host directories. The init layer's directories now hide such links of the
 * image; one in the container's upper dir (above the init layer) is refused, as runc
 * refuses such mount points (CVE-2019-19921).
 */
function checkKernelMountPoints(view: LayeredView): void {
  for (const name of ['proc', 'sys', 'dev']) {
    const r = view.resolve(`/${name}`, false);
    if (r.stat && !r.stat.isDirectory()) {
      const what = r.stat.isSymbolicLink() ? 'a symbolic link' : 'not a directory';
      throw new MinidockError(`invalid rootfs: /${name} is ${what}; the kernel's /${name} is mounted there`, {
        kind: 'invalid',
        exitCode: 125,
      });
    }
  }
}

/**
 * A target beneath another bind mount (`-v vol:/data -v x:/data/sub`; `-v vol:/etc` under
 * the /etc/hosts bind) is not in the image: the kernel resolves it inside that mount's
 * source when the start chain mounts it, while the host's root is still the root. A
 * symlink there, which any container using the volume can plant, was followed against
 * the host's root, and libmount's X-mount.mkdir created directories on the host. So such a
 * target is made here, inside the source, one component at a time, a symlink on the way
 * is refused, and libmount is told not to create anything. (Inside a --tmpfs, fresh and
 * empty when it is mounted, X-mount.mkdir stays.)
 */
function placeNestedTargets(host: Host, mounts: PlannedMount[], files: boolean[]): void {
  mounts.forEach((m, i) => {
    let parent: PlannedMount | undefined;
    for (const q of mounts.slice(0, i)) {
      if (m.target.startsWith(`${q.target}/`) && (!parent || q.target.length > parent.target.length)) parent = q;
    }
    if (parent?.kind !== 'bind') return;
    m.prepared = true;
    let cur = parent.source;
    const parts = m.target.slice(parent.target.length + 1).split('/');
    parts.forEach((part, k) => {
      cur = join(cur, part);
      const last = k === parts.length - 1;
      const st = lstatSync(cur, { throwIfNoEntry: false });
      if (st?.isSymbolicLink() || (st && !last && !st.isDirectory())) {
        throw new MinidockError(`mount target /${m.target}: ${cur} (inside the mount at /${parent!.target}) is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a directory'}`, {
          kind: 'invalid',
          exitCode: 125,
          hint: 'a mount inside a volume or bind mount must not pass through a symbolic link there',
        });
      }
      if (st || host.mode !== 'real') return;
      // No symlink is followed: mkdir(2) and O_EXCL|O_NOFOLLOW never go through the last component.
      if (last && files[i]) closeSync(openSync(cur, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644));
      else mkdirSync(cur, 0o755);
    });
  });
}

/**
 * The /dev skeleton of a container that mounts nothing under /dev is the same for every
 * container: one per engine root (`dev-skeleton/`), made once and renamed into place whole,
 * so a start neither writes its 15 entries nor leaves them for `rm` to delete. A container
 * with a mount target under /dev gets its own (the targets are made in it), and so does a
 * dry run, whose script must stand alone.
 */
async function sharedDevSkeleton(engine: Engine): Promise<string> {
  const dir = join(engine.paths.root, 'dev-skeleton');
  if (existsSync(dir)) return dir;
  const tmp = join(engine.paths.root, `.dev-skeleton-${process.pid}-${randomBytes(4).toString('hex')}`);
  await writeDevSkeleton(engine.host, tmp);
  try {
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir)) throw err; // not a concurrent start that made it first
  }
  return dir;
}

async function writeDevSkeleton(host: Host, dev: string): Promise<void> {
  const why = 'the /dev skeleton, copied into the container\'s /dev tmpfs';
  await host.remove(dev, why);
  for (const d of ['pts', 'shm', 'mqueue']) await host.mkdir(join(dev, d), why);
  // Mount points for the host's device nodes, bind-mounted over them by the fstab.
  for (const f of ['null', 'zero', 'full', 'random', 'urandom', 'tty']) await host.writeFile(join(dev, f), '', why);
  for (const [target, name] of DEV_LINKS) await host.symlink(target, join(dev, name), why);
}

function readHostResolv(): string {
  try {
    return readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    return '';
  }
}

export interface PrepareOptions {
  /** Addresses of the container on its networks (for /etc/hosts). */
  addresses?: string[];
  network?: { kind: 'new' } | { kind: 'path'; path: string } | { kind: 'host' };
  /** A user network's resolver (its dnsmasq); undefined: the host's resolv.conf, as docker's default bridge. */
  resolvConf?: { nameservers: string[]; search: string[]; options: string[] };
  /** `--add-host` entries, `host-gateway` resolved. */
  hostsEntries?: { name: string; ip: string }[];
  /** Network aliases, listed with the hostname in /etc/hosts. */
  aliases?: string[];
  /** Extra mounts decided at start (volumes). */
  mounts?: PlannedMountRequest[];
}

export interface PlannedMountRequest {
  kind: 'bind' | 'tmpfs';
  source: string;
  target: string;
  readOnly: boolean;
  options?: string;
  /** A file (not a directory) is mounted. */
  file?: boolean;
}

export async function prepareStart(engine: Engine, c: Container, opts: PrepareOptions = {}): Promise<PreparedStart> {
  const p = containerPaths(engine, c.Id);
  const t = tools();
  const host = engine.host;
  for (const d of [p.upper, p.work, p.rootfs]) await host.mkdir(d, 'overlay upper, work and mount point');
  await host.remove(p.init, 'the init layer: mount points that must not show in `diff`');
  // Mount points the engine always uses: made here, so they never land in the upper dir
  // (and so never in `diff` or a `commit`) even when the image lacks them.
  for (const d of ['proc', 'sys', 'dev', 'etc']) await host.mkdir(join(p.init, d), 'mount point');

  const hc = c.HostConfig;
  const view = layeredView(engine, c, true);
  checkKernelMountPoints(view);
  const user = resolveContainerUser(view, c.Config.User, hc.GroupAdd);

  const extraHosts =
    opts.hostsEntries ??
    hc.ExtraHosts.map((h) => {
      const i = h.indexOf(':');
      return { name: h.slice(0, i), ip: h.slice(i + 1) };
    });
  const files: Record<string, string> = {};
  files[p.hosts] = renderHosts(c.Config.Hostname, opts.addresses ?? [], extraHosts, opts.aliases ?? []);
  files[p.hostname] = `${c.Config.Hostname}\n`;
  const r = opts.resolvConf;
  files[p.resolv] = r ? renderResolvConf('', r.nameservers, r.search, r.options) : renderResolvConf(readHostResolv(), hc.Dns);
  for (const [f, text] of Object.entries(files)) await host.writeFile(f, text, 'the container\'s /etc files');

  const requests: PlannedMountRequest[] = [
    { kind: 'bind', source: p.hostname, target: '/etc/hostname', readOnly: false, file: true },
    { kind: 'bind', source: p.hosts, target: '/etc/hosts', readOnly: false, file: true },
    { kind: 'bind', source: p.resolv, target: '/etc/resolv.conf', readOnly: false, file: true },
  ];
  if (hc.Init) {
    if (!t.tini) throw new MinidockError('--init needs tini-static', { kind: 'host', exitCode: 125, hint: 'apt-get install tini' });
    requests.push({ kind: 'bind', source: t.tini, target: '/sbin/docker-init', readOnly: true, file: true });
  }
  for (const [target, options] of Object.entries(hc.Tmpfs)) {
    requests.push({ kind: 'tmpfs', source: 'tmpfs', target, readOnly: false, options: tmpfsMountOptions(options).join(',') });
  }
  requests.push(...(opts.mounts ?? []));

  const ops: FsOp[] = [];
  const sorted = requests.sort((a, b) => depth(a.target) - depth(b.target));
  const mounts: PlannedMount[] = sorted.map((m) => {
    const target = placeTarget(view, p.init, p.dev, m.target, m.file ? 'file' : 'dir', ops);
    return m.kind === 'bind'
      ? { kind: 'bind', source: m.source, target, readOnly: m.readOnly }
      : { kind: 'tmpfs', target, options: m.options ?? '' };
  });
  const ownDev = host.mode !== 'real' || ops.some((op) => op.path === p.dev || op.path.startsWith(`${p.dev}/`));
  if (ownDev) await writeDevSkeleton(host, p.dev);
  const devSkeleton = ownDev ? p.dev : await sharedDevSkeleton(engine);
  for (const op of ops) {
    if (op.op === 'mkdir') await host.mkdir(op.path, 'mount point');
    else await host.writeFile(op.path, '', 'mount point');
  }
  placeNestedTargets(host, mounts, sorted.map((m) => !!m.file));

  const cgroups = openCgroups();
  const cgroup = cgroups.plan(c.Id, hc.CgroupParent || process.env.MINIDOCK_CGROUP_PARENT || undefined, {
    memory: hc.Memory || undefined,
    memorySwap: hc.MemorySwap || undefined,
    nanoCpus: hc.NanoCpus || undefined,
    cpuShares: hc.CpuShares || undefined,
    pidsLimit: hc.PidsLimit ?? undefined,
  });

  const masks = existingMasks();
  const snaps = new Snapshots(engine);
  const lowerDirs = [p.init, ...[...c.Layers].reverse().map((l) => relative(engine.paths.snapshotsDir, snaps.fsDir(l)))];
  const caps = resolveCapabilities({ add: hc.CapAdd, drop: hc.CapDrop, privileged: hc.Privileged });
  const argv = [...(c.Path ? [c.Path] : []), ...c.Args];
  const enterArgs = [
    // pivot_root into the moved image root and detach the host's mounts from the container's
    // namespace (a mere `mount --move` left them there, see shim.c pivot_into_cwd)
    '--pivot-root',
    '--root',
    '.',
    '--caps',
    capabilityMask(caps),
    ...(hc.NoNewPrivileges ? ['--no-new-privs'] : []),
    '--user',
    `${user.uid}:${user.gid}`,
    '--groups',
    user.groups.join(','),
    '--wd',
    c.Config.WorkingDir || '/',
    '--sync-fd',
    '3',
    ...processEnv(c, user.home).flatMap((e) => ['--env', e]),
    '--',
    ...(hc.Init ? ['/sbin/docker-init', '--'] : []),
    ...argv,
  ];
  const input = {
    rootfs: p.rootfs,
    snapshotsDir: engine.paths.snapshotsDir,
    lowerDirs,
    upperDir: p.upper,
    workDir: p.work,
    devSkeleton,
    hostname: c.Config.Hostname,
    privileged: hc.Privileged,
    readOnly: hc.ReadonlyRootfs,
    network: opts.network ?? { kind: 'new' as const },
    cgroup2: cgroup.mode === 'v2',
    maskedFiles: masks.files,
    maskedDirs: masks.dirs,
    readonlyPaths: existingPaths(),
    mounts,
    cgroupProcs: cgroup.procs,
    tools: { sh: t.sh, unshare: t.unshare, nsenter: t.nsenter, shim: t.shim },
    enterArgs,
  };
  const fstabs = planFstabs(input);
  await host.writeFile(p.fstabRoot, fstabs.fstabRoot, 'rootfs, /proc, /sys and /dev, mounted with `mount --all --fstab`');
  await host.writeFile(p.fstabMounts, fstabs.fstabMounts, 'devices, masked and read-only paths, /etc files, volumes');
  return { argv: planStart(input, { root: p.fstabRoot, mounts: p.fstabMounts }), cgroup, user };
}

function depth(target: string): number {
  return target.split('/').filter(Boolean).length;
}
