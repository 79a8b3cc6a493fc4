// The tar that `cp` moves: a file or directory of a tree (a container's root, or the local
// filesystem), named as docker names it — the first component is the source's base name
// (`.` for `dir/.`, whose contents are copied), then the subtree in a fixed order. Nothing
// is followed: a symlink is archived as a symlink, file data is read with O_NOFOLLOW from
// paths resolved inside the tree. No user or group names are written or looked up
// (CVE-2019-14271 was `docker cp` loading the container's NSS libraries to do so).
import type { Readable } from 'node:stream';
import type { Stats } from 'node:fs';
import { splitDev } from '../../overlay/diff.js';
import type { TarHeader } from '../../overlay/tar/header.js';
import { tarStream, type PlannedEntry } from '../../overlay/tarstream.js';
import { WarningList } from '../../overlay/warnings.js';
import { joinRel, type ReadableTree } from './tree.js';

export interface TreeArchive {
  stream: Readable;
  /** Bytes of regular file content (docker's "Successfully copied" size). */
  contentSize: number;
  warnings: string[];
}

function headerOf(tree: ReadableTree, rel: string, name: string, st: Stats, warnings: WarningList): TarHeader | undefined {
  const base = {
    name,
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    size: 0,
    mtime: Math.floor(st.mtimeMs / 1000),
    linkname: '',
    devmajor: 0,
    devminor: 0,
  };
  if (st.isDirectory()) return { ...base, type: 'dir' };
  if (st.isFile()) return { ...base, type: 'file', size: st.size };
  if (st.isSymbolicLink()) return { ...base, type: 'symlink', linkname: tree.readlink(rel) };
  if (st.isFIFO()) return { ...base, type: 'fifo' };
  if (st.isCharacterDevice() || st.isBlockDevice()) {
    const [devmajor, devminor] = splitDev(st.rdev);
    return { ...base, type: st.isCharacterDevice() ? 'char' : 'block', devmajor, devminor };
  }
  warnings.add('skipped a socket, which a tar cannot hold', tree.display(rel));
  return undefined;
}

/** Every entry of the archive of `rel` (which exists), in archive order. */
export function planTreeArchive(tree: ReadableTree, rel: string, rootName: string, warnings: WarningList): { entries: PlannedEntry[]; contentSize: number } {
  const entries: PlannedEntry[] = [];
  const firstLink = new Map<string, string>(); // "dev:ino" -> archive name
  let contentSize = 0;
  // An explicit stack (deep trees), children pushed in reverse so that they come out sorted.
  const stack: { rel: string; name: string }[] = [{ rel, name: rootName }];
  while (stack.length) {
    const { rel: r, name } = stack.pop()!;
    const st = tree.lstat(r);
    if (!st) continue; // gone meanwhile (a running container is frozen, a stopped one idle)
    if (!st.isDirectory() && st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      const first = firstLink.get(key);
      if (first !== undefined) {
        entries.push({ header: { name, type: 'link', mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: 0, mtime: Math.floor(st.mtimeMs / 1000), linkname: first, devmajor: 0, devminor: 0 } });
        continue;
      }
      firstLink.set(key, name);
    }
    const header = headerOf(tree, r, name, st, warnings);
    if (!header) continue;
    if (header.type === 'file') contentSize += header.size;
    entries.push({ header, source: header.type === 'file' ? tree.contentPath(r) : undefined });
    if (st.isDirectory()) {
      const children = tree.readdir(r);
      for (let i = children.length - 1; i >= 0; i--) stack.push({ rel: joinRel(r, children[i]), name: `${name === '.' ? '.' : name}/${children[i]}` });
    }
  }
  return { entries, contentSize };
}

/** The archive of `rel` in `tree`, its first component named `rootName`. */
export function archiveTree(tree: ReadableTree, rel: string, rootName: string): TreeArchive {
  const warnings = new WarningList();
  const { entries, contentSize } = planTreeArchive(tree, rel, rootName, warnings);
  const list = warnings.list(); // files that change while they are read are added as they are met
  const stream = tarStream(entries, (w) => list.push(w));
  return { stream, contentSize, warnings: list };
}
