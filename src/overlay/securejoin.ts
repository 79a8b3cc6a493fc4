// Resolving an untrusted path inside a root directory: the algorithm of
// github.com/cyphar/filepath-securejoin (SecureJoinVFS), written for Node. Symlinks are
// followed, but as if the root were `/`: an absolute target restarts at the root and `..`
// never climbs above it. Used by layer unpacking, and later by `cp`, COPY and volumes.
//
// What it does not do: protect against the tree changing while we resolve it. The result
// is a path string; a process that swaps a component for a symlink between this call and
// the caller's open() wins the race (CVE-2018-15664, `docker cp` into a running
// container). Callers that write into a tree someone else can modify must pause its
// processes first, as Docker now does for `cp`.
import { lstatSync, readlinkSync } from 'node:fs';
import { errnoCode, invalid, wrap } from '../errors.js';

/** Linux's own limit is 40; filepath-securejoin allows 255. */
export const MAX_SYMLINKS = 255;

/**
 * Go's `path.Clean`: the shortest lexically equivalent path. `..` is resolved against the
 * previous component, and dropped at the start of a rooted path; `''` becomes `'.'`.
 * Pure: no symlink is looked at, so `a/../b` is `b` even when `a` is a symlink.
 */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.charCodeAt(0) === 47; /* '/' */
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/**
 * `root` joined with `unsafePath`, every symlink on the way resolved inside `root`. The
 * last component is followed too when it is a symlink (as filepath-securejoin does); to
 * create or replace an entry, join its parent and append the base name yourself.
 * Components that do not exist are taken as they are. `root` itself is trusted and
 * returned without a trailing slash for the empty path.
 */
export function secureJoin(root: string, unsafePath: string): string {
  const base = root.length > 1 && root.endsWith('/') ? root.slice(0, -1) : root;
  let current = ''; // relative to root, no leading slash, contains no symlink
  let remaining = unsafePath;
  let links = 0;
  while (remaining !== '') {
    const slash = remaining.indexOf('/');
    const part = slash === -1 ? remaining : remaining.slice(0, slash);
    remaining = slash === -1 ? '' : remaining.slice(slash + 1);
    if (part === '' || part === '.') continue;
    if (part === '..') {
      // `current` has no symlinks, so a lexical step up is the real parent; at the root it stays.
      current = current.slice(0, Math.max(current.lastIndexOf('/'), 0));
      continue;
    }
    const next = current === '' ? part : `${current}/${part}`;
    const full = `${base}/${next}`;
    if (!isSymlink(full)) {
      current = next;
      continue;
    }
    if (++links > MAX_SYMLINKS) {
      throw invalid(`too many levels of symbolic links resolving ${JSON.stringify(unsafePath)} inside ${root}`, {
        context: { root, path: unsafePath },
      });
    }
    const target = readlinkSync(full);
    remaining = remaining === '' ? target : `${target}/${remaining}`;
    if (target.startsWith('/')) current = '';
  }
  return current === '' ? base : `${base}/${current}`;
}

/** Whether `relPath`, already cleaned, stays inside its root: not `..` nor `../x`. */
export function isInside(cleaned: string): boolean {
  return cleaned !== '..' && !cleaned.startsWith('../');
}

function isSymlink(path: string): boolean {
  try {
    const st = lstatSync(path, { throwIfNoEntry: false });
    return st !== undefined && st.isSymbolicLink();
  } catch (e) {
    // A missing component or a file used as a directory: nothing to follow from here on.
    if (errnoCode(e) === 'ENOTDIR') return false;
    throw wrap(`resolving ${path}`, e, { kind: 'host' });
  }
}
