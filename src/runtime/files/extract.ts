// Extracting a `cp` archive into a directory of a tree, with the rules of docker's Untar
// for copies (NoOverwriteDirNonDir): a directory is never replaced by a file nor a file by
// a directory, an existing directory is kept and takes the archive's metadata, anything
// else in the way is replaced — unlinked first, never written through.
//
// Paths: each entry's parent is resolved inside the tree with resolveIn (a symlink in the
// container is followed from the container's root, as docker's chrooted untar does) and
// made with mode 0755 when missing; the entry itself is created with O_EXCL|O_NOFOLLOW or
// its equivalent. `..` that climbs out of the extraction directory is refused (entryPath).
// The tree decides where the bytes land: an overlay upper dir, a volume, a live root.
import { closeSync, constants as C, copyFileSync, fchmodSync, fchownSync, futimesSync, lchownSync, linkSync, lutimesSync, mkdirSync, openSync, readlinkSync, symlinkSync, writeSync, chmodSync } from 'node:fs';
import { MinidockError, errnoCode, invalid } from '../../errors.js';
import type { Host } from '../../host/host.js';
import { decompressed } from '../../overlay/decompress.js';
import { entryPath } from '../../overlay/extract.js';
import type { TarHeader } from '../../overlay/tar/header.js';
import { TarReader } from '../../overlay/tar/reader.js';
import { rebaseEntryName } from './cp-paths.js';
import { joinRel, resolveIn, type WritableTree } from './tree.js';

const CREATE = C.O_WRONLY | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW;
const OPEN_DIR = C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW;

/** Who owns what is extracted: the archive's ids (`cp -a`), fixed ids, or whoever we are. */
export type Ownership = { kind: 'archive' } | { kind: 'fixed'; uid: number; gid: number } | { kind: 'self' };

export interface ApplyOptions {
  host: Host;
  owner: Ownership;
  /** Rename the first path component (docker's RebaseArchiveEntries). */
  rebase?: { from: string; to: string };
}

export interface ApplyResult {
  entries: number;
  bytes: number;
  warnings: string[];
}

interface DirMeta {
  abs: string;
  h: TarHeader;
}

class Applier {
  entries = 0;
  readonly warnings: string[] = [];
  private fd = -1;
  private fdHeader: TarHeader | undefined;
  private readonly dirs = new Map<string, string>(); // entry dir ('' = the extraction dir) -> resolved rel
  private readonly dirMeta: DirMeta[] = [];

  constructor(
    private readonly tree: WritableTree,
    private readonly base: string,
    private readonly opts: ApplyOptions,
  ) {
    this.dirs.set('', base);
  }

  private ids(h: TarHeader): { uid: number; gid: number } | undefined {
    const o = this.opts.owner;
    if (o.kind === 'archive') return { uid: h.uid, gid: h.gid };
    return o.kind === 'fixed' ? { uid: o.uid, gid: o.gid } : undefined;
  }

  private rename(name: string): string {
    const r = this.opts.rebase;
    return r ? rebaseEntryName(name, r.from, r.to) : name;
  }

  /** The resolved directory for the entry dir `dir` (relative to the extraction dir), made when missing. */
  private async dirOf(dir: string): Promise<string> {
    const cached = this.dirs.get(dir);
    if (cached !== undefined) return cached;
    const r = resolveIn(this.tree, `${this.base}/${dir}`, true);
    if (!r.st) await this.mkdirAll(r.rel);
    else if (!r.st.isDirectory()) throw invalid(`cannot extract into ${this.tree.display(r.rel)}: not a directory`);
    this.dirs.set(dir, r.rel);
    return r.rel;
  }

  /**
   * MkdirAll(path, 0755) for a resolved path whose missing part is lexical: every existing
   * component was checked by resolveIn, the missing ones cannot be symlinks.
   */
  private async mkdirAll(rel: string): Promise<void> {
    let cur = '';
    for (const part of rel.split('/')) {
      const next = joinRel(cur, part);
      const st = this.tree.lstat(next);
      if (!st) {
        const abs = await this.tree.prepareCreate(cur, part, 'dir');
        mkdirSync(abs, 0o755);
        chmodSync(abs, 0o755); // whatever the umask; abs is the directory just made
      } else if (!st.isDirectory()) {
        throw invalid(`cannot extract into ${this.tree.display(next)}: not a directory`);
      }
      cur = next;
    }
  }

  async header(h: TarHeader): Promise<void> {
    this.entries++;
    const rel = entryPath(this.rename(h.name));
    if (rel === '') return; // the extraction directory itself keeps its metadata (docker skips ".")
    if (h.type === 'char' && h.devmajor === 0 && h.devminor === 0) {
      // In an overlay upper dir this is a whiteout: it would delete, not create.
      this.warnings.push(`skipped ${h.name}: a 0/0 character device is an overlay whiteout`);
      return;
    }
    const slash = rel.lastIndexOf('/');
    const parent = await this.dirOf(slash < 0 ? '' : rel.slice(0, slash));
    const name = rel.slice(slash + 1);
    const target = joinRel(parent, name);
    const existing = this.tree.lstat(target);
    if (existing?.isDirectory() && h.type !== 'dir') {
      throw new MinidockError(`cannot overwrite directory ${JSON.stringify(this.tree.display(target))} with non-directory ${JSON.stringify(this.tree.display(this.base))}`, { kind: 'conflict' });
    }
    if (existing && !existing.isDirectory() && h.type === 'dir') {
      throw new MinidockError(`cannot overwrite non-directory ${JSON.stringify(this.tree.display(target))} with directory ${JSON.stringify(this.tree.display(this.base))}`, { kind: 'conflict' });
    }
    if (h.type === 'dir') {
      let abs: string;
      if (existing) abs = await this.tree.writableDir(target);
      else {
        abs = await this.tree.prepareCreate(parent, name, 'dir');
        mkdirSync(abs, 0o700); // the real mode goes on at the end: it must not stop what comes inside
      }
      this.dirs.set(rel, target);
      this.dirMeta.push({ abs, h });
      return;
    }
    const abs = await this.tree.prepareCreate(parent, name, 'other');
    // Replacing an entry, or adding a symlink, can change what a cached directory resolves to.
    if (existing || h.type === 'symlink') this.forgetDirs();
    await this.create(h, abs, parent);
  }

  private forgetDirs(): void {
    for (const key of [...this.dirs.keys()]) if (key !== '') this.dirs.delete(key);
  }

  private async create(h: TarHeader, abs: string, parentRel: string): Promise<void> {
    const ids = this.ids(h);
    switch (h.type) {
      case 'file':
        this.fd = openSync(abs, CREATE, 0o600);
        this.fdHeader = h;
        return;
      case 'symlink':
        symlinkSync(h.linkname, abs);
        if (ids) lchownSync(abs, ids.uid, ids.gid);
        lutimesSync(abs, h.mtime, h.mtime);
        return;
      case 'link':
        return this.hardLink(h, abs, parentRel);
      case 'char':
      case 'block':
      case 'fifo': {
        const mode = (h.mode & 0o777).toString(8);
        const argv = h.type === 'fifo' ? ['mkfifo', '-m', mode, abs] : ['mknod', '-m', mode, abs, h.type === 'char' ? 'c' : 'b', String(h.devmajor), String(h.devminor)];
        await this.opts.host.run(argv, { why: `creating ${h.type === 'fifo' ? 'a FIFO' : 'a device node'} copied by cp` });
        if (ids) lchownSync(abs, ids.uid, ids.gid);
        if (h.mode & 0o7000) chmodSync(abs, h.mode & 0o7777); // the node we just made
        lutimesSync(abs, h.mtime, h.mtime);
        return;
      }
      default:
        throw invalid(`tar entry ${JSON.stringify(h.name)} has a type cp cannot create`);
    }
  }

  /** A hard link to an earlier entry: linked where the tree allows it, copied otherwise. */
  private async hardLink(h: TarHeader, abs: string, parentRel: string): Promise<void> {
    const targetRel = entryPath(this.rename(h.linkname), `hard link target of ${JSON.stringify(h.name)}:`);
    const slash = targetRel.lastIndexOf('/');
    const dir = await this.dirOf(slash < 0 ? '' : targetRel.slice(0, slash));
    const target = joinRel(dir, targetRel.slice(slash + 1));
    const st = this.tree.lstat(target);
    if (!st || st.isDirectory()) throw invalid(`hard link ${JSON.stringify(h.name)}: target ${JSON.stringify(h.linkname)} is not in the archive`);
    const source = this.tree.linkSource(target, parentRel);
    if (source) {
      try {
        linkSync(source, abs); // link(2) never follows a final symlink
        return;
      } catch (e) {
        if (errnoCode(e) !== 'EXDEV') throw e;
      }
    }
    // Across layers or mounts: a copy, with the target's metadata.
    if (st.isSymbolicLink()) symlinkSync(readlinkSync(this.tree.contentPath(target)), abs);
    else if (st.isFile()) {
      const fd = openSync(this.tree.contentPath(target), C.O_RDONLY | C.O_NOFOLLOW);
      try {
        copyFileSync(`/proc/self/fd/${fd}`, abs, C.COPYFILE_EXCL);
      } finally {
        closeSync(fd);
      }
    } else {
      this.warnings.push(`skipped hard link ${h.name} to a special file`);
      return;
    }
    const ids = this.ids(h);
    if (ids) lchownSync(abs, ids.uid, ids.gid);
    if (!st.isSymbolicLink()) chmodSync(abs, st.mode & 0o7777);
    lutimesSync(abs, st.atime, st.mtime);
  }

  data(chunk: Buffer): void {
    if (this.fd < 0) return;
    for (let off = 0; off < chunk.length; ) off += writeSync(this.fd, chunk, off, chunk.length - off);
  }

  endEntry(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    const h = this.fdHeader!;
    this.fd = -1;
    try {
      const ids = this.ids(h);
      if (ids) fchownSync(fd, ids.uid, ids.gid);
      fchmodSync(fd, h.mode & 0o7777); // after chown, which clears setuid/setgid
      futimesSync(fd, h.mtime, h.mtime);
    } finally {
      closeSync(fd);
    }
  }

  /** Directory metadata last (children change a directory's mtime), deepest first. */
  async finish(): Promise<void> {
    for (const { abs, h } of this.dirMeta.reverse()) {
      const fd = openSync(abs, OPEN_DIR);
      try {
        const ids = this.ids(h);
        if (ids) fchownSync(fd, ids.uid, ids.gid);
        fchmodSync(fd, h.mode & 0o7777);
        futimesSync(fd, h.mtime, h.mtime);
      } finally {
        closeSync(fd);
      }
    }
    await this.tree.finish();
  }

  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/**
 * Extracts `input` (a tar, plain or gzipped) into the directory `dirRel` of `tree`, which
 * the caller resolved and checked to be a directory.
 */
export async function applyArchive(tree: WritableTree, dirRel: string, input: AsyncIterable<Buffer | Uint8Array | string>, opts: ApplyOptions): Promise<ApplyResult> {
  const a = new Applier(tree, dirRel, opts);
  const reader = new TarReader();
  try {
    for await (const chunk of decompressed(input)) {
      reader.push(chunk);
      for (let ev = reader.next(); ev; ev = reader.next()) {
        if (ev.kind === 'data') a.data(ev.chunk);
        else if (ev.kind === 'end') a.endEntry();
        else await a.header(ev.header);
      }
    }
    reader.finish();
    await a.finish();
  } catch (e) {
    a.abort();
    throw e;
  }
  return { entries: a.entries, bytes: reader.bytes, warnings: a.warnings };
}
