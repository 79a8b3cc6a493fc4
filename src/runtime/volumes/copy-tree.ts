// Copying a merged directory of a container's root (merged-tree.ts) into a fresh directory:
// files, directories, symlinks (as symlinks, never followed: an absolute `/etc/passwd` link
// stays a link and the host's file is never read), hard links within the tree, FIFOs and
// device nodes (through the Host: Node has no mknod), ownership, modes (setuid and sticky
// bits included) and times, and the extended attributes that travel in image layers
// (security.capability, user.*; see overlay/xattrs.ts). docker does the same with
// continuity's fs.CopyDir when a volume is first mounted over image content.
import {
  chmodSync, closeSync, constants, copyFileSync, fstatSync, linkSync, lchownSync, lutimesSync,
  mkdirSync, openSync, readlinkSync, symlinkSync, utimesSync, type Stats,
} from 'node:fs';
import { join } from 'node:path';
import type { Host } from '../../host/host.js';
import { MinidockError } from '../../errors.js';
import { parseDump, renderRestore, xattrPolicy, type XattrAssignment } from '../../overlay/xattrs.js';
import { mergedEntries, type MergedEntry, type OpaqueTest } from './merged-tree.js';

/** Extended attributes by absolute path, as one `getfattr --dump` of the layers gave them. */
export type XattrIndex = Map<string, Map<string, Buffer>>;

export async function readXattrs(host: Host, roots: readonly string[], recursive: boolean): Promise<XattrIndex> {
  if (roots.length === 0) return new Map();
  const argv = ['getfattr', ...(recursive ? ['-R', '-P'] : []), '-h', '-d', '-m', '-', '-e', 'base64', '--absolute-names', '--', ...roots];
  const r = await host.run(argv, { why: 'reading the extended attributes of image layers (opaque directories, file capabilities)' });
  return parseDump(r.stdout);
}

export const opaqueIn = (x: XattrIndex): OpaqueTest => (abs) => x.get(abs)?.get('trusted.overlay.opaque')?.toString() === 'y';

/** Linux's dev_t split (glibc gnu_dev_major/minor for 32-bit values). */
function devNumbers(rdev: number): [number, number] {
  return [Math.floor(rdev / 256) & 0xfff, (rdev & 0xff) | (Math.floor(rdev / 4096) & 0xfff00)];
}

interface CopyState {
  host: Host;
  opaque: OpaqueTest;
  xattrs: XattrIndex;
  /** Where the copy goes; paths below are relative to it. */
  destRoot: string;
  /** "dev:ino" of a multiply-linked source → where its first copy went. */
  links: Map<string, string>;
  restore: XattrAssignment[];
  warnings: string[];
}

function applyMeta(abs: string, st: Stats, symlink: boolean): void {
  lchownSync(abs, st.uid, st.gid);
  if (symlink) {
    lutimesSync(abs, st.atime, st.mtime);
    return;
  }
  chmodSync(abs, st.mode & 0o7777); // after chown, which clears setuid/setgid
  utimesSync(abs, st.atime, st.mtime);
}

function keepXattrs(s: CopyState, srcAbs: string, rel: string, symlink: boolean): void {
  for (const [name, value] of s.xattrs.get(srcAbs) ?? []) {
    if (xattrPolicy(name) !== 'keep') continue;
    if (symlink && name.startsWith('user.')) continue; // the kernel refuses user.* on symlinks
    s.restore.push({ path: rel, name, value });
  }
}

/** A regular file, opened without following a symlink and checked to be the file we listed. */
function copyFile(src: string, dest: string, st: Stats): void {
  const fd = openSync(src, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const now = fstatSync(fd);
    if (!now.isFile() || now.ino !== st.ino || now.dev !== st.dev) {
      throw new MinidockError(`copying image content: ${src} changed while it was copied`, { kind: 'host' });
    }
    copyFileSync(`/proc/self/fd/${fd}`, dest, constants.COPYFILE_EXCL);
  } finally {
    closeSync(fd);
  }
}

/** `srcRel`: the parent in the layers; `destRel`: the same parent in the copy. */
async function copyEntry(s: CopyState, srcRel: string, destRel: string, e: MergedEntry): Promise<void> {
  const { name, abs: src, st } = e;
  const childSrc = srcRel ? `${srcRel}/${name}` : name;
  const childRel = destRel ? `${destRel}/${name}` : name;
  const dest = join(s.destRoot, childRel);
  const linkKey = `${st.dev}:${st.ino}`;
  if (!st.isDirectory() && st.nlink > 1) {
    const first = s.links.get(linkKey);
    if (first) {
      linkSync(first, dest);
      return;
    }
    s.links.set(linkKey, dest);
  }
  const mode = (st.mode & 0o777).toString(8);
  if (st.isDirectory()) {
    mkdirSync(dest, { mode: 0o700 });
    await copyDir(s, e.layers, childSrc, childRel);
  } else if (st.isFile()) {
    copyFile(src, dest, st);
  } else if (st.isSymbolicLink()) {
    symlinkSync(readlinkSync(src), dest);
  } else if (st.isFIFO()) {
    await s.host.run(['mkfifo', '-m', mode, dest], { why: 'copying a FIFO of the image into a volume' });
  } else if (st.isCharacterDevice() || st.isBlockDevice()) {
    const [major, minor] = devNumbers(st.rdev);
    await s.host.run(['mknod', '-m', mode, dest, st.isCharacterDevice() ? 'c' : 'b', String(major), String(minor)], {
      why: 'copying a device node of the image into a volume',
    });
  } else {
    // A socket in an image layer is dead; the mknod tool cannot make one either.
    s.warnings.push(`skipped socket /${childRel}`);
    return;
  }
  applyMeta(dest, st, st.isSymbolicLink());
  keepXattrs(s, src, childRel, st.isSymbolicLink());
}

async function copyDir(s: CopyState, layers: readonly string[], srcRel: string, destRel: string): Promise<void> {
  for (const e of mergedEntries(layers, srcRel, s.opaque)) await copyEntry(s, srcRel, destRel, e);
}

export interface CopyTreeResult {
  warnings: string[];
}

/**
 * Copy the merged directory `rel` of `layers` (top first, already cut at opaque dirs) into
 * the existing empty directory `dest` (its own metadata is left to the caller).
 */
export async function copyMergedTree(host: Host, layers: readonly string[], rel: string, dest: string, xattrs: XattrIndex): Promise<CopyTreeResult> {
  const s: CopyState = { host, opaque: opaqueIn(xattrs), xattrs, destRoot: dest, links: new Map(), restore: [], warnings: [] };
  await copyDir(s, layers, rel, '');
  if (s.restore.length) {
    // Last: security.capability must be set after the chown that would clear it. The
    // paths are relative to `dest`, where setfattr runs.
    await host.run(['setfattr', '-h', '--restore=-'], {
      cwd: dest,
      input: renderRestore(s.restore),
      why: 'restoring the extended attributes of the copied image content (file capabilities)',
    });
  }
  return { warnings: s.warnings };
}
