// The local side of `cp`, as the docker CLI does it on the user's machine: paths made
// absolute (keeping a trailing `/` or `/.`), the source's CopyInfo (symlinks above the
// last component followed, the last one only with -L), the destination's (a symlink at
// the end followed, the parent required), and the output-path check.
import { lstatSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { MinidockError, errnoCode } from '../../errors.js';
import { cleanPath } from '../../overlay/securejoin.js';
import { ERR_NOT_DIRECTORY, getRebaseName, goBase, goDir, hasTrailingSeparator, preserveTrailingDotOrSeparator, splitPathDirEntry, type CopyInfo } from './cp-paths.js';

/** A Go-style `op path: reason` error for a failed lstat/stat, as docker prints it. */
export function fsError(op: string, path: string, err: unknown): MinidockError {
  const code = errnoCode(err);
  const reason = code === 'ENOENT' ? 'no such file or directory' : code === 'ENOTDIR' ? 'not a directory' : code === 'ELOOP' ? 'too many levels of symbolic links' : (err as Error).message;
  return new MinidockError(`${op} ${path}: ${reason}`, { kind: code === 'ENOENT' ? 'not-found' : 'invalid', cause: err });
}

export function resolveLocalPath(p: string, cwd = process.cwd()): string {
  return preserveTrailingDotOrSeparator(resolve(cwd, p), p);
}

function lstatOr(path: string, op = 'lstat'): Stats {
  try {
    return lstatSync(path);
  } catch (err) {
    throw fsError(op, path, err);
  }
}

/** filepath.EvalSymlinks: the host's own resolution (the user's files, the user's links). */
function evalSymlinks(path: string): string {
  try {
    return realpathSync(path);
  } catch (err) {
    throw fsError('lstat', path, err);
  }
}

/**
 * CopyInfoSourcePath: the source to archive. Without -L the last component is taken as it
 * is (a symlink is copied as a symlink); with -L it is followed.
 */
export function copyInfoSourcePath(path: string, followLink: boolean): CopyInfo {
  let resolved: string;
  let rebaseName: string | undefined;
  if (followLink) {
    ({ resolved, rebaseName } = getRebaseName(path, evalSymlinks(path)));
  } else {
    const slash = path.lastIndexOf('/');
    const dir = path.slice(0, slash + 1);
    const base = path.slice(slash + 1);
    resolved = `${evalSymlinks(dir || '.')}/${base}`.replace(/^\/\//, '/');
    if (hasTrailingSeparator(path) && goBase(path) !== goBase(resolved)) rebaseName = goBase(path);
  }
  const st = lstatOr(resolved);
  return { path: resolved, exists: true, isDir: st.isDirectory(), rebaseName };
}

/**
 * CopyInfoDestinationPath: a symlink at the end is followed (up to 10 times); a missing
 * destination is fine when its parent is a directory.
 */
export function copyInfoDestinationPath(path: string): CopyInfo {
  let p = path;
  let st: Stats | undefined;
  try {
    st = lstatSync(p);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw fsError('lstat', p, err);
  }
  for (let n = 0; st?.isSymbolicLink(); n++) {
    if (n > 10) throw new MinidockError(`too many symlinks in ${path}`, { kind: 'invalid' });
    const target = readlinkSync(p);
    p = target.startsWith('/') ? target : cleanPath(`${splitPathDirEntry(p)[0]}/${target}`);
    try {
      st = lstatSync(p);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw fsError('lstat', p, err);
      st = undefined;
    }
  }
  if (st) return { path: p, exists: true, isDir: st.isDirectory() };
  const [parent] = splitPathDirEntry(p);
  let pst: Stats;
  try {
    pst = statSync(parent);
  } catch (err) {
    throw fsError('stat', parent, err);
  }
  if (!pst.isDirectory()) throw new MinidockError(ERR_NOT_DIRECTORY, { kind: 'invalid' });
  return { path: p, exists: false, isDir: false };
}

/** command.ValidateOutputPath: the directory must exist; an existing path must be a dir or a file. */
export function validateOutputPath(path: string): void {
  const dir = goDir(cleanPath(path));
  if (dir !== '' && dir !== '.') {
    try {
      statSync(dir);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw new MinidockError(`invalid output path: directory ${JSON.stringify(dir)} does not exist`, { kind: 'invalid' });
    }
  }
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return;
    throw fsError('stat', path, err);
  }
  if (!st.isDirectory() && !st.isFile()) {
    throw new MinidockError(`invalid output path: ${JSON.stringify(path)} must be a directory or a regular file`, { kind: 'invalid' });
  }
}
