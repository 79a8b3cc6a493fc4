// docker cp's path rules as pure functions, after moby's pkg/archive/copy.go and
// docker/cli's container/cp.go: `CONTAINER:PATH` splitting, the trailing `/` and `/.`
// that a cleaned path must keep, and PrepareArchiveCopy — which directory an archive of
// the source is extracted into, and what its first path component is renamed to.
//
//   SRC file, DEST missing            -> a file named DEST (DEST/ : "no such directory")
//   SRC file, DEST a file             -> DEST overwritten
//   SRC file or dir, DEST a directory -> copied into DEST under SRC's base name
//   SRC dir, DEST missing             -> DEST created with SRC's contents
//   SRC dir, DEST a file              -> "cannot copy directory"
//   SRC ends in `/.`                  -> the directory's contents, not the directory
import { cleanPath } from '../../overlay/securejoin.js';

/** pkg/archive's errors, worded as docker prints them. */
export const ERR_NOT_DIRECTORY = 'not a directory';
export const ERR_DIR_NOT_EXISTS = 'no such directory';
export const ERR_CANNOT_COPY_DIR = 'cannot copy directory';

export class CopyPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyPathError';
  }
}

/**
 * `CONTAINER:PATH` or a local path. A local path with a colon must start with `/` or `.`
 * to be taken as local (`./file:name.txt`), as scp does.
 */
export function splitCpArg(arg: string): { container?: string; path: string } {
  if (arg.startsWith('/')) return { path: arg };
  const colon = arg.indexOf(':');
  if (colon < 0) return { path: arg };
  const container = arg.slice(0, colon);
  if (container.startsWith('.')) return { path: arg };
  return { container, path: arg.slice(colon + 1) };
}

/** Go's filepath.Base: the last element, trailing slashes ignored; '' → '.', all slashes → '/'. */
export function goBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Go's filepath.Dir: everything but the last element, cleaned. */
export function goDir(p: string): string {
  const slash = p.lastIndexOf('/');
  return cleanPath(slash < 0 ? '' : p.slice(0, slash + 1));
}

/** The last element is `.`: the path names a directory's contents. */
export function specifiesCurrentDir(p: string): boolean {
  return goBase(p) === '.';
}

export function hasTrailingSeparator(p: string): boolean {
  return p.endsWith('/');
}

/** A trailing `/` or `/.` asserts that the path is a directory. */
export function assertsDirectory(p: string): boolean {
  return hasTrailingSeparator(p) || specifiesCurrentDir(p);
}

/** `cleaned` with the trailing `/.` or `/` that `original` had (cleaning drops them). */
export function preserveTrailingDotOrSeparator(cleaned: string, original: string): string {
  let out = cleaned;
  if (!specifiesCurrentDir(out) && specifiesCurrentDir(original)) {
    if (!hasTrailingSeparator(out)) out += '/';
    out += '.';
  }
  if (!hasTrailingSeparator(out) && hasTrailingSeparator(original)) out += '/';
  return out;
}

/** A container path as docker takes it: relative to `/`, trailing `/` and `/.` kept. */
export function containerAbsPath(p: string): string {
  return preserveTrailingDotOrSeparator(cleanPath(`/${p}`), p);
}

/** [dir, base] of a path, keeping a final `.` (`/a/b/.` → ['/a/b', '.']). */
export function splitPathDirEntry(p: string): [string, string] {
  let cleaned = cleanPath(p);
  if (specifiesCurrentDir(p)) cleaned += '/.';
  return [goDir(cleaned), goBase(cleaned)];
}

/**
 * pkg/archive GetRebaseName: `resolved` (a symlink's target) with the trailing `/.` or `/`
 * of `path`, and the name the archive's first component must take (`path`'s base) when
 * it differs from the target's.
 */
export function getRebaseName(path: string, resolved: string): { resolved: string; rebaseName?: string } {
  let out = resolved;
  if (specifiesCurrentDir(path) && !specifiesCurrentDir(out)) out += '/.';
  if (hasTrailingSeparator(path) && !hasTrailingSeparator(out)) out += '/';
  const base = goBase(path);
  return goBase(out) !== base ? { resolved: out, rebaseName: base } : { resolved: out };
}

export interface CopyInfo {
  path: string;
  exists: boolean;
  isDir: boolean;
  /** The name the archive's first component is renamed to (a followed symlink's own name). */
  rebaseName?: string;
}

export interface ArchivePlan {
  /** The directory the archive is extracted into. */
  dstDir: string;
  /** Rename the archive's first path component `from` to `to` (absent: extract as is). */
  rebase?: { from: string; to: string };
}

/**
 * The name the archive of `src` has for its first component: its rebase name or its base;
 * the root directory is archived as `.` (its contents), like `/.`.
 */
export function sourceBase(src: CopyInfo): string {
  const base = src.rebaseName || splitPathDirEntry(src.path)[1];
  return base === '/' ? '.' : base;
}

/** PrepareArchiveCopy: where an archive of `src` goes for `dst`, or why it cannot. */
export function planArchiveCopy(src: CopyInfo, dst: CopyInfo): ArchivePlan {
  const [dstDir, dstBase] = splitPathDirEntry(dst.path);
  const from = sourceBase(src);
  if (dst.exists && dst.isDir) return { dstDir: dst.path };
  if (dst.exists && src.isDir) throw new CopyPathError(ERR_CANNOT_COPY_DIR);
  if (!dst.exists && !src.isDir && assertsDirectory(dst.path)) throw new CopyPathError(ERR_DIR_NOT_EXISTS);
  return { dstDir, rebase: { from, to: dstBase } };
}

/**
 * RebaseArchiveEntries for one entry name: the first component `from` becomes `to`. Names
 * are as archives write them (`./a`, `dir/`).
 */
export function rebaseEntryName(name: string, from: string, to: string): string {
  if (name === from) return to;
  if (name.startsWith(`${from}/`)) return to + name.slice(from.length);
  return name;
}
