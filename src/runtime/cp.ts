// `cp` between a container and the local filesystem, docker's way (moby daemon/archive*.go
// on the container side, docker/cli container/cp.go and pkg/archive copy.go on the local
// side; the pure rules are in files/cp-paths.ts).
//
// The container side is a tree whose symlinks are resolved inside the container's root:
// - running or paused: /proc/<init pid>/root, with the container frozen (cgroup freezer)
//   for the whole copy, so that no process of it can swap a path component for a symlink
//   between our check and our use (CVE-2018-15664; docker freezes too since that fix);
// - created or exited: its overlay layers merged in TypeScript (files/stopped-tree.ts);
//   writes go to its upper dir, or to the source of a volume or bind mount at the path.
// The container's lock is held throughout, so it cannot start, stop or go meanwhile.
//
// Where a copy lands (decided here, as docker's daemon does): below a volume or bind mount
// target it goes to the mount (a stopped container's too: docker mounts its volumes for
// cp); a read-only volume is refused ("mounted volume is marked read-only"), and so is the
// rootfs of a --read-only container ("container rootfs is marked read-only"). A stopped
// container's tmpfs holds nothing, so a copy there lands in its rootfs, under the mount.
// A running container is read through its init's root: if that process chroot()ed
// elsewhere, the copy sees its new root.
//
// Ownership (docker's documented rule, not its daemon's long-standing bug, moby#34096):
// into a container, entries are owned by root unless -a keeps the source's uid/gid; out
// of a container, by the invoking user unless -a keeps the container's (an extension).
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { realpathSync } from 'node:fs';
import { openCgroups, parseCgroupPlan } from '../cgroups/index.js';
import type { Engine } from '../engine.js';
import { MinidockError } from '../errors.js';
import { cleanPath } from '../overlay/securejoin.js';
import { liveState } from './lifecycle/status.js';
import type { Container, State } from './model.js';
import { containerPaths } from './prepare.js';
import { ContainerStore } from './store.js';
import { archiveTree } from './files/archive.js';
import { CopyPathError, assertsDirectory, containerAbsPath, planArchiveCopy, sourceBase, type CopyInfo } from './files/cp-paths.js';
import { applyArchive, type Ownership } from './files/extract.js';
import { copyInfoDestinationPath, copyInfoSourcePath, fsError, resolveLocalPath, validateOutputPath } from './files/local.js';
import { StoppedTree } from './files/stopped-tree.js';
import { HostTree, resolveIn, type WritableTree } from './files/tree.js';

export interface CpOptions {
  /** -L: follow a symlink at the end of the source path. */
  followLink?: boolean;
  /** -a: keep uid/gid. */
  archive?: boolean;
}

export interface CpResult {
  /** Bytes of file content (docker's "Successfully copied" size). */
  contentSize: number;
  /** Where it went, as docker's summary line names it. */
  shown: string;
  warnings: string[];
}

/** An error docker's daemon would send: the CLI prints it as "Error response from daemon: …". */
export function daemonError(message: string, kind: MinidockError['kind'] = 'invalid'): MinidockError {
  return new MinidockError(message, { kind, context: { daemon: true } });
}

interface ContainerRoot {
  tree: WritableTree;
  /** Bind mounts, volumes (and, while running, tmpfs): where writes go elsewhere. */
  mounts: { rel: string; rw: boolean }[];
}

/** Holds the container's lock and hands out its root; a running container stays frozen meanwhile. */
async function withContainerRoot<T>(engine: Engine, c: Container, fn: (root: ContainerRoot) => Promise<T>): Promise<T> {
  const store = new ContainerStore(engine);
  return store.locked(c.Id, async () => {
    const state: State = liveState(store.readState(c.Id), containerPaths(engine, c.Id).exitFile);
    if (state.Status !== 'running' && state.Status !== 'paused') {
      const tree = await StoppedTree.open(engine, c);
      return fn({ tree, mounts: tree.mounts.map((m) => ({ rel: m.rel, rw: m.rw })) });
    }
    if (!state.Cgroup || !state.Pid) throw daemonError(`container ${c.Id.slice(0, 12)} is running but its cgroup is not recorded`, 'internal');
    const plan = parseCgroupPlan(state.Cgroup);
    const cgroups = openCgroups();
    const frozenByUs = state.Status === 'running';
    if (frozenByUs) await cgroups.freeze(engine.host, plan);
    try {
      const tree = new HostTree(`/proc/${state.Pid}/root`);
      const mounts: { rel: string; rw: boolean }[] = [];
      const targets = [...c.Mounts.map((m) => ({ dest: m.Destination, rw: m.RW })), ...Object.entries(c.HostConfig.Tmpfs).map(([dest, o]) => ({ dest, rw: !o.split(',').includes('ro') }))];
      for (const t of targets) {
        try {
          mounts.push({ rel: resolveIn(tree, cleanPath(`/${t.dest}`), true).rel, rw: t.rw });
        } catch {
          /* not reachable in this root: nothing is mounted there */
        }
      }
      return await fn({ tree, mounts });
    } finally {
      if (frozenByUs) await cgroups.thaw(engine.host, plan);
    }
  });
}

/** ContainerStatPath's resolution: the directory part followed, the last component as it is. */
function statInContainer(tree: WritableTree, absPath: string, followFinal: boolean) {
  try {
    const r = resolveIn(tree, absPath, followFinal || assertsDirectory(absPath));
    if (r.st && !r.st.isDirectory() && assertsDirectory(absPath)) return { rel: r.rel, st: undefined, notDir: true };
    return r;
  } catch (err) {
    if (err instanceof MinidockError && err.context?.code === 'ENOTDIR') return { rel: '', st: undefined, notDir: true };
    throw err;
  }
}

function notFoundIn(path: string, ref: string): MinidockError {
  return daemonError(`Could not find the file ${path} in container ${ref}`, 'not-found');
}

function pathErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CopyPathError) throw new MinidockError(err.message, { kind: 'invalid' });
    throw err;
  }
}

export type CpSink = { kind: 'stdout'; out: Writable } | { kind: 'path'; path: string };
export type CpSource = { kind: 'stdin'; input: Readable } | { kind: 'path'; path: string };

/** `cp CONTAINER:SRC DEST|-`. `ref` is the container as the user named it (for messages). */
export async function copyFromContainer(engine: Engine, c: Container, ref: string, srcPath: string, sink: CpSink, opts: CpOptions = {}): Promise<CpResult> {
  let dstPath = '';
  if (sink.kind === 'path') {
    dstPath = resolveLocalPath(sink.path);
    validateOutputPath(dstPath);
  }
  const absPath = containerAbsPath(srcPath);
  return withContainerRoot(engine, c, async ({ tree }) => {
    const r = statInContainer(tree, absPath, opts.followLink ?? false);
    if ('notDir' in r) throw daemonError(`lstat ${absPath}: not a directory`);
    if (!r.st) throw notFoundIn(srcPath, ref);
    const rootName = sourceBase({ path: absPath, exists: true, isDir: false });
    const archive = archiveTree(tree, r.rel, rootName);
    if (sink.kind === 'stdout') {
      await pipeline(archive.stream, sink.out, { end: false });
      return { contentSize: archive.contentSize, shown: '-', warnings: archive.warnings };
    }
    const src: CopyInfo = { path: absPath, exists: true, isDir: r.st.isDirectory() };
    const dst = copyInfoDestinationPath(dstPath);
    const plan = pathErrors(() => planArchiveCopy(src, dst));
    let dir: string;
    try {
      dir = realpathSync(plan.dstDir);
    } catch (err) {
      throw fsError('stat', plan.dstDir, err);
    }
    // Rooted at the extraction directory: nothing in the archive can reach above it.
    const local = new HostTree(dir, (rel) => (rel ? `${dir}/${rel}` : dir));
    const owner: Ownership = opts.archive ? { kind: 'archive' } : { kind: 'self' };
    const applied = await applyArchive(local, '', archive.stream, { host: engine.host, owner, rebase: plan.rebase });
    return { contentSize: archive.contentSize, shown: dstPath, warnings: [...archive.warnings, ...applied.warnings] };
  });
}

/** `cp SRC|- CONTAINER:DEST`. */
export async function copyToContainer(engine: Engine, c: Container, ref: string, source: CpSource, dstPath: string, opts: CpOptions = {}): Promise<CpResult> {
  const srcInfo = source.kind === 'path' ? copyInfoSourcePath(resolveLocalPath(source.path), opts.followLink ?? false) : undefined;
  const absDst = containerAbsPath(dstPath);
  return withContainerRoot(engine, c, async ({ tree, mounts }) => {
    // The CLI's stat of the destination: a symlink at the end is followed, once, in the container.
    let dst: CopyInfo = { path: absDst, exists: false, isDir: false };
    const r = statInContainer(tree, absDst, false);
    if (!('notDir' in r) && r.st) {
      let st = r.st;
      let path = absDst;
      if (st.isSymbolicLink()) {
        const t = resolveIn(tree, absDst, true);
        path = `/${t.rel}`;
        st = t.st!;
      }
      if (st && !st.isDirectory() && !st.isFile()) throw new MinidockError(`destination "${ref}:${dstPath}" must be a directory or a regular file`, { kind: 'invalid' });
      dst = st ? { path, exists: true, isDir: st.isDirectory() } : { path, exists: false, isDir: false };
    }
    let dstDir: string;
    let rebase: { from: string; to: string } | undefined;
    let input: AsyncIterable<Buffer | string | Uint8Array>;
    let contentSize = 0;
    const warnings: string[] = [];
    if (!srcInfo) {
      if (!dst.isDir) throw new MinidockError(`destination "${ref}:${dstPath}" must be a directory`, { kind: 'invalid' });
      dstDir = dst.path;
      input = (source as { input: Readable }).input;
    } else {
      ({ dstDir, rebase } = pathErrors(() => planArchiveCopy(srcInfo, dst)));
      const local = new HostTree('/', (rel) => `/${rel}`);
      const archive = archiveTree(local, cleanPath(srcInfo.path).replace(/^\/+/, ''), sourceBase(srcInfo));
      input = archive.stream;
      contentSize = archive.contentSize;
      warnings.push(...archive.warnings);
    }
    // containerExtractToDir: the extraction point, every symlink followed in the container.
    const point = resolveIn(tree, containerAbsPath(dstDir), true);
    if (!point.st) throw notFoundIn(dstDir, ref);
    if (!point.st.isDirectory()) throw daemonError('extraction point is not a directory');
    const mount = mounts.filter((m) => point.rel === m.rel || point.rel.startsWith(`${m.rel}/`)).sort((a, b) => b.rel.length - a.rel.length)[0];
    if (mount && !mount.rw) throw daemonError('mounted volume is marked read-only');
    if (!mount && c.HostConfig.ReadonlyRootfs) throw daemonError('container rootfs is marked read-only');
    const owner: Ownership = opts.archive ? { kind: 'archive' } : { kind: 'fixed', uid: 0, gid: 0 };
    const applied = await applyArchive(tree, point.rel, input, { host: engine.host, owner, rebase });
    return { contentSize, shown: `${ref}:${dst.path}`, warnings: [...warnings, ...applied.warnings] };
  });
}
