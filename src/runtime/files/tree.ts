// A filesystem tree as `cp` reads and writes it, whatever holds it: a local directory, a
// running container's root (/proc/PID/root), or a stopped container's overlay layers and
// volumes (stopped-tree.ts). Paths are relative to the tree's root, '/'-separated, and
// symlink-free once resolved: `resolveIn` follows symlinks the way the tree's owner would,
// absolute targets from the tree's own root and `..` never above it — so a symlink inside a
// container is never followed on the host (CVE-2018-15664, CVE-2019-14271).
import { lstatSync, readdirSync, readlinkSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { MinidockError, errnoCode } from '../../errors.js';

/** Linux allows 40 links in one lookup; filepath-securejoin 255. */
export const MAX_LINKS = 255;

export interface ReadableTree {
  /** The entry itself (a symlink is not followed); undefined when it does not exist. */
  lstat(rel: string): Stats | undefined;
  readlink(rel: string): string;
  /** The names in a directory, sorted by code unit. */
  readdir(rel: string): string[];
  /** A host path with the content of the regular file `rel` (open it with O_NOFOLLOW). */
  contentPath(rel: string): string;
  /** How `rel` is shown in messages: `/etc/passwd` in a container, the host path locally. */
  display(rel: string): string;
}

export interface WritableTree extends ReadableTree {
  /**
   * Make room for the entry `name` in the existing directory `dirRel`: removes a
   * non-directory that is in the way, and returns the host path to create it at.
   */
  prepareCreate(dirRel: string, name: string, kind: 'dir' | 'other'): Promise<string>;
  /** The host path of the existing directory `rel`, made writable (copied up). */
  writableDir(rel: string): Promise<string>;
  /** A host path to hard-link to for the existing entry `rel`, or undefined: copy it instead. */
  linkSource(rel: string, intoDirRel: string): string | undefined;
  /** Work that waits for the end of a copy (overlay opaque markers). */
  finish(): Promise<void>;
}

export interface Resolved {
  /** Symlink-free, relative to the root ('' is the root). */
  rel: string;
  /** The entry, or undefined when it (or a directory above it) does not exist. */
  st?: Stats;
}

function lookupError(path: string, why: string, code: string): MinidockError {
  return new MinidockError(`${path}: ${why}`, { kind: code === 'ENOENT' ? 'not-found' : 'invalid', context: { code, path } });
}

/**
 * `path` (absolute or not, always from the root) with every symlink resolved inside the
 * tree; `followFinal` decides for a symlink in the last component. Missing components are
 * taken as they are (the result then has no `st`). A non-directory in the middle is ENOTDIR.
 */
export function resolveIn(tree: Pick<ReadableTree, 'lstat' | 'readlink'>, path: string, followFinal: boolean): Resolved {
  const stack = path.split('/').reverse(); // pop() takes the next component
  const out: string[] = [];
  const stats: (Stats | undefined)[] = [];
  let links = 0;
  const remainingIsEmpty = () => stack.every((p) => p === '' || p === '.');
  while (stack.length) {
    const name = stack.pop()!;
    if (name === '' || name === '.') continue;
    if (name === '..') {
      // `out` holds no symlink, so a lexical step up is the real parent; at the root it stays.
      out.pop();
      stats.pop();
      continue;
    }
    const parent = stats.length ? stats[stats.length - 1] : undefined;
    if (out.length && !parent) {
      out.push(name); // below a missing directory everything is missing
      stats.push(undefined);
      continue;
    }
    if (parent && !parent.isDirectory()) throw lookupError(path, 'not a directory', 'ENOTDIR');
    const rel = out.length ? `${out.join('/')}/${name}` : name;
    const st = tree.lstat(rel);
    if (st?.isSymbolicLink() && (followFinal || !remainingIsEmpty())) {
      if (++links > MAX_LINKS) throw lookupError(path, 'too many levels of symbolic links', 'ELOOP');
      const target = tree.readlink(rel);
      if (target.startsWith('/')) {
        out.length = 0;
        stats.length = 0;
      }
      stack.push(...target.split('/').reverse());
      continue;
    }
    out.push(name);
    stats.push(st);
  }
  if (out.length === 0) return { rel: '', st: tree.lstat('') };
  return { rel: out.join('/'), st: stats[stats.length - 1] };
}

export function lstatQuiet(abs: string): Stats | undefined {
  try {
    return lstatSync(abs);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

export function joinRel(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** Names sorted by code unit, as Go sorts strings (and as layer walks do). */
export function sortNames(names: string[]): string[] {
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A directory of the host as a tree: the local side of a copy (root `/`), or a running
 * container's root seen through /proc/PID/root — which is only safe because every path
 * given here was resolved by resolveIn against this same tree, and the container is frozen
 * while we work, so that no component can be swapped for a symlink in between.
 */
export class HostTree implements WritableTree {
  private readonly prefix: string;

  constructor(
    readonly root: string,
    private readonly shown: (rel: string) => string = (rel) => `/${rel}`,
  ) {
    this.prefix = root === '/' ? '' : root.replace(/\/+$/, '');
  }

  abs(rel: string): string {
    return rel === '' ? this.prefix || '/' : `${this.prefix}/${rel}`;
  }

  lstat(rel: string): Stats | undefined {
    // The root itself may be reached through a link (/proc/PID/root is one): it is trusted.
    if (rel === '') return statSync(this.abs(''));
    return lstatQuiet(this.abs(rel));
  }

  readlink(rel: string): string {
    return readlinkSync(this.abs(rel));
  }

  readdir(rel: string): string[] {
    return sortNames(readdirSync(this.abs(rel)));
  }

  contentPath(rel: string): string {
    return this.abs(rel);
  }

  display(rel: string): string {
    return this.shown(rel);
  }

  async prepareCreate(dirRel: string, name: string): Promise<string> {
    const abs = this.abs(joinRel(dirRel, name));
    const st = lstatQuiet(abs);
    if (st && !st.isDirectory()) unlinkSync(abs); // replaced, never written through
    return abs;
  }

  async writableDir(rel: string): Promise<string> {
    return this.abs(rel);
  }

  linkSource(rel: string): string | undefined {
    return this.abs(rel);
  }

  async finish(): Promise<void> {}
}
