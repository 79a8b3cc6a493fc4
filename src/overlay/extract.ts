// Writing tar entries into a destination directory, one at a time, with sync fs calls
// (measured faster than the async API for trees of many small files; see unpack.ts).
// Owns the containment rules: every path is resolved inside `dest` (securejoin.ts), the
// last component is never followed (O_NOFOLLOW|O_EXCL, unlink first). What must wait for
// the end of the layer is queued in pending.ts; whiteouts and opaque markers are handled in
// whiteouts.ts through the methods here.
import {
  chmodSync,
  closeSync,
  constants as C,
  fchmodSync,
  fchownSync,
  futimesSync,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { errnoCode, invalid } from '../errors.js';
import type { Host } from '../host/host.js';
import { cleanPath, isInside, secureJoin } from './securejoin.js';
import type { TarHeader } from './tar/header.js';
import { PendingWork, type DirMeta } from './pending.js';
import { WarningList } from './warnings.js';
import { Whiteouts } from './whiteouts.js';
import { xattrPolicy } from './xattrs.js';

export type UnpackMode = 'overlay' | 'apply' | 'plain';

export interface ExtractOptions {
  mode: UnpackMode;
  preserveOwner: boolean;
}

// libuv adds O_CLOEXEC to every open(2) itself.
const CREATE = C.O_WRONLY | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW;
const SPECIAL_BITS = 0o7000;

/** A resolved directory; `setgid` because new entries in it take its group, not ours. */
export interface Dir {
  abs: string;
  setgid: boolean;
}

/**
 * The archive path of an entry as a clean path relative to the destination ('' for the
 * root). Absolute names are contained (`/etc/x` is `etc/x`), as Docker and GNU tar do;
 * a `..` that climbs above the root is refused, as Docker's breakout check does.
 */
export function entryPath(name: string, what = 'tar entry'): string {
  if (name.includes('\0')) throw invalid(`${what} ${JSON.stringify(name)} contains a NUL byte`);
  // Fast path for the usual `usr/lib/x` names: nothing to clean.
  if (!/(^|\/)\.{1,2}(\/|$)|\/\/|^\//.test(name)) return name.endsWith('/') ? name.slice(0, -1) : name;
  const cleaned = cleanPath(name);
  const rel = cleaned.startsWith('/') ? cleaned.slice(1) : cleaned;
  if (rel === '.' || rel === '') return '';
  if (!isInside(rel)) {
    throw invalid(`${what} ${JSON.stringify(name)} points outside the destination`, {
      hint: 'the archive tries to write outside the directory it is unpacked into; it was rejected',
    });
  }
  return rel;
}

export class Extractor {
  readonly warnings = new WarningList();
  entries = 0;
  /** Paths this layer wrote: whiteouts and opaque markers only act on what lies below. */
  readonly written = new Set<string>();
  readonly pending: PendingWork;

  private fd = -1;
  private fdHeader: TarHeader | undefined;
  private fdDir: Dir | undefined;
  private readonly dirs = new Map<string, Dir>(); // cleaned relative dir -> resolved
  private readonly euid = process.geteuid?.() ?? -1;
  private readonly egid = process.getegid?.() ?? -1;
  private readonly umask = readUmask();
  private readonly whiteouts: Whiteouts | undefined;

  constructor(
    readonly host: Host,
    readonly dest: string,
    readonly opts: ExtractOptions,
  ) {
    this.pending = new PendingWork(dest);
    if (opts.mode !== 'plain') this.whiteouts = new Whiteouts(this);
  }

  // --- entries ------------------------------------------------------------------------

  /** Creates the entry (for files: opens it; data follows). Async only for host calls. */
  addEntry(h: TarHeader, rel: string): void | Promise<void> {
    this.entries++;
    if (this.whiteouts && (Whiteouts.isWhiteout(rel.slice(rel.lastIndexOf('/') + 1)) || Whiteouts.isAufsMeta(rel))) {
      return this.whiteouts.add(h, rel);
    }
    if (rel === '') {
      if (h.type !== 'dir') throw invalid(`tar entry ${JSON.stringify(h.name)} would replace the destination itself`);
      this.pending.dirMeta.set(this.dest, meta(h));
      this.queueXattrs(h, this.dest);
      return;
    }
    const parent = this.parentOf(rel);
    const abs = `${parent.abs}/${rel.slice(rel.lastIndexOf('/') + 1)}`;
    this.checkOwner(h);
    switch (h.type) {
      case 'file':
        this.fd = this.createExclusive(abs, h.mode & 0o777);
        this.fdHeader = h;
        this.fdDir = parent;
        this.noteWritten(abs);
        this.queueXattrs(h, abs);
        return;
      case 'dir':
        return this.addDir(h, rel, abs, parent);
      case 'symlink':
        this.replaceWith(abs, () => symlinkSync(h.linkname, abs));
        if (this.needsChown(h, parent)) lchownSync(abs, h.uid, h.gid);
        lutimesSync(abs, h.mtime, h.mtime);
        this.noteWritten(abs);
        this.queueXattrs(h, abs);
        return;
      case 'link':
        return this.addHardLink(h, abs);
      case 'char':
      case 'block':
      case 'fifo':
        return this.addNode(h, abs, parent);
    }
  }

  write(chunk: Buffer): void {
    if (this.fd < 0) return; // data of an entry we do not write (a whiteout's)
    for (let off = 0; off < chunk.length; ) off += writeSync(this.fd, chunk, off, chunk.length - off);
  }

  endEntry(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    const h = this.fdHeader!;
    this.fd = -1;
    try {
      const chowned = this.needsChown(h, this.fdDir!);
      if (chowned) fchownSync(fd, h.uid, h.gid);
      // chown clears setuid/setgid, so the mode goes on after it (SPECIAL_BITS case).
      if ((h.mode & SPECIAL_BITS) !== 0 || (h.mode & this.umask) !== 0) fchmodSync(fd, h.mode);
      futimesSync(fd, h.mtime, h.mtime);
    } finally {
      closeSync(fd);
    }
  }

  private addDir(h: TarHeader, rel: string, abs: string, parent: Dir): void {
    let kept = false;
    try {
      // 0700 until the end: the real mode (0555, setgid) must not get in the way of children.
      mkdirSync(abs, 0o700);
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST') throw e;
      kept = this.removeExisting(abs, true);
      if (!kept) mkdirSync(abs, 0o700);
    }
    // A new directory inherits setgid from its parent; a kept one is looked at when used.
    if (!kept) this.dirs.set(rel, { abs, setgid: parent.setgid });
    this.pending.dirMeta.set(abs, meta(h));
    this.noteWritten(abs);
    this.whiteouts?.directoryAdded(abs);
    this.queueXattrs(h, abs);
  }

  private addHardLink(h: TarHeader, abs: string): void {
    const targetRel = entryPath(h.linkname, `hard link target of ${JSON.stringify(h.name)}:`);
    if (targetRel === '') throw invalid(`hard link ${JSON.stringify(h.name)} points at the root directory`);
    // The target's parent resolved inside dest; link(2) does not follow a final symlink, so
    // a link to `s -> /etc/shadow` is a second name for the symlink, never for the host file.
    const slash = targetRel.lastIndexOf('/');
    const targetDir = secureJoin(this.dest, slash === -1 ? '' : targetRel.slice(0, slash));
    const target = `${targetDir}/${targetRel.slice(slash + 1)}`;
    const st = lstatSync(target, { throwIfNoEntry: false });
    if (!st) throw invalid(`hard link ${JSON.stringify(h.name)}: target ${JSON.stringify(h.linkname)} is not in the layer`);
    if (st.isDirectory()) throw invalid(`hard link ${JSON.stringify(h.name)}: target ${JSON.stringify(h.linkname)} is a directory`);
    if (target === abs) return; // a link to itself: already there
    this.replaceWith(abs, () => linkSync(target, abs));
    this.noteWritten(abs);
    this.queueXattrs(h, abs);
  }

  /** FIFOs and device nodes: Node cannot make them, the host's mkfifo/mknod can. */
  private async addNode(h: TarHeader, abs: string, parent: Dir): Promise<void> {
    this.removeExisting(abs, false);
    const mode = (h.mode & 0o777).toString(8);
    if (h.type === 'fifo') {
      await this.host.run(['mkfifo', '-m', mode, abs], { why: `creating FIFO ${h.name} of a layer` });
    } else {
      const kind = h.type === 'char' ? 'c' : 'b';
      await this.host.run(['mknod', '-m', mode, abs, kind, String(h.devmajor), String(h.devminor)], {
        why: `creating device node ${h.name} of a layer`,
      });
    }
    if (this.needsChown(h, parent)) lchownSync(abs, h.uid, h.gid);
    if ((h.mode & SPECIAL_BITS) !== 0) chmodSync(abs, h.mode); // abs is the node we just made
    lutimesSync(abs, h.mtime, h.mtime);
    this.noteWritten(abs);
    this.queueXattrs(h, abs);
  }

  // --- paths --------------------------------------------------------------------------

  /** The resolved directory that holds `rel`, created (0755, like Docker) when missing. */
  parentOf(rel: string): Dir {
    const slash = rel.lastIndexOf('/');
    return this.dir(slash === -1 ? '' : rel.slice(0, slash), true)!;
  }

  /** The resolved directory `dirRel`; undefined when missing and `create` is false. */
  dir(dirRel: string, create: boolean): Dir | undefined {
    const cached = this.dirs.get(dirRel);
    if (cached) return cached;
    const abs = secureJoin(this.dest, dirRel);
    let st;
    try {
      st = lstatSync(abs, { throwIfNoEntry: false });
    } catch (e) {
      if (errnoCode(e) !== 'ENOTDIR') throw e;
    }
    if (!st && !create) return undefined;
    if (!st) st = this.makeDirs(abs);
    if (!st.isDirectory()) {
      if (!create) return undefined;
      throw invalid(`${JSON.stringify(dirRel)} is not a directory in the destination, so nothing can be unpacked below it`);
    }
    const d = { abs, setgid: (st.mode & 0o2000) !== 0 };
    this.dirs.set(dirRel, d);
    return d;
  }

  /** mkdir -p for a path secureJoin returned: its missing part holds no symlink by definition. */
  private makeDirs(abs: string) {
    const missing: string[] = [];
    for (let p = abs; p.length > this.dest.length && !lstatSync(p, { throwIfNoEntry: false }); p = dirname(p)) missing.push(p);
    for (const d of missing.reverse()) {
      mkdirSync(d, 0o755);
      if ((0o755 & this.umask) !== 0) chmodSync(d, 0o755);
      this.noteWritten(d);
    }
    return lstatSync(abs);
  }

  /** Runs `create`, removing what is in the way first if it fails with EEXIST. */
  private replaceWith(abs: string, create: () => void): void {
    try {
      create();
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST') throw e;
      this.removeExisting(abs, false);
      create();
    }
  }

  private createExclusive(abs: string, perm: number): number {
    try {
      return openSync(abs, CREATE, perm);
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST') throw e;
      this.removeExisting(abs, false);
      return openSync(abs, CREATE, perm);
    }
  }

  /**
   * Removes whatever is at `abs` (a directory recursively, unless `keepDir`), so that a new
   * entry is created in its place rather than written through it. Returns whether a
   * directory was kept. Forgets cached resolutions and queued work under the path.
   */
  removeExisting(abs: string, keepDir: boolean): boolean {
    const st = lstatSync(abs, { throwIfNoEntry: false });
    if (!st) return false;
    if (st.isDirectory()) {
      if (keepDir) return true;
      rmSync(abs, { recursive: true, force: true }); // rm uses lstat: symlinks inside are not followed
    } else {
      unlinkSync(abs);
    }
    this.forget(abs, st.isDirectory() || st.isSymbolicLink());
    return false;
  }

  private forget(abs: string, resolutionsChanged: boolean): void {
    // A directory or symlink that disappears can change what any cached path resolves to.
    if (resolutionsChanged) this.dirs.clear();
    this.pending.forget(abs);
  }

  noteWritten(abs: string): void {
    if (this.opts.mode !== 'plain') this.written.add(abs);
  }

  // --- ownership, xattrs, the end -------------------------------------------------------

  private needsChown(h: TarHeader, parent: Dir): boolean {
    // A new file is ours already, unless a setgid parent gave it the parent's group.
    return this.opts.preserveOwner && (h.uid !== this.euid || h.gid !== this.egid || parent.setgid);
  }

  private checkOwner(h: TarHeader): void {
    if (!this.opts.preserveOwner && (h.uid !== this.euid || h.gid !== this.egid)) {
      this.warnings.add('ownership not applied (unpacking without root)', h.name);
    }
  }

  private queueXattrs(h: TarHeader, abs: string): void {
    if (h.ignoredPax) for (const key of h.ignoredPax) this.warnings.add(`ignored PAX record ${key}`, h.name);
    if (!h.xattrs) return;
    for (const [name, value] of h.xattrs) {
      const policy = xattrPolicy(name);
      if (policy === 'keep') this.pending.addXattr(abs, name, value);
      else if (policy === 'overlay-internal') this.warnings.add(`ignored overlayfs xattr ${name} (a layer may not set it)`, h.name);
      else this.warnings.add(`ignored host security label ${name}`, h.name);
    }
  }

  /** The end of the layer: whiteout templates go (dest's mtime), then the queued work. */
  async finish(): Promise<void> {
    this.whiteouts?.finish();
    await this.pending.apply(this.host, this.opts.preserveOwner, this.warnings);
  }

  /** After a failure: release the open file. The caller removes the half-made tree. */
  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

function meta(h: TarHeader): DirMeta {
  return { uid: h.uid, gid: h.gid, mode: h.mode, mtime: h.mtime };
}

let cachedUmask: number | undefined;

/** The process umask, read without changing it (process.umask() with no argument is deprecated). */
function readUmask(): number {
  if (cachedUmask !== undefined) return cachedUmask;
  try {
    const m = /^Umask:\s*([0-7]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    cachedUmask = m ? parseInt(m[1], 8) : 0o777;
  } catch {
    cachedUmask = 0o777; // unknown: assume every bit masked, so modes are always set explicitly
  }
  return cachedUmask;
}
