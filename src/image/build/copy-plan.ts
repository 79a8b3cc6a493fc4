// Where COPY/ADD put things, as pure data: source entries + destination → the tar entries of
// the step's layer. Docker's rules (BuildKit dispatchCopy + fsutil copy):
//  - a directory source copies its *contents* into the destination (created if missing);
//  - a file goes *into* the destination when it ends with '/' (or is '.', or is an existing
//    directory in the image), else it *is* the destination path;
//  - several sources (or a wildcard with several matches) need a directory destination;
//  - files from the context and heredocs are owned 0:0, files from another stage or image keep
//    their owner; --chown overrides both and also owns the directories the copy creates;
//  - --chmod applies to copied files and directories (not to symlinks, nor to parents).
// Every parent directory of an entry is in the tar too, before it: a new one as 0755 (with the
// --chown owner), an existing one with the image's own metadata. Without them the unpacked
// snapshot would hold those directories with default metadata, and as the top overlay layer
// it would change, say, /tmp's 1777 to 0755 for every later step.
import { MinidockError } from '../../errors.js';
import type { TarHeader } from '../../overlay/tar/header.js';
import type { PlannedEntry } from '../../overlay/tarstream.js';
import { applyChmod, type Owner } from './ownership.js';

export type EntryKind = 'file' | 'dir' | 'symlink';

export interface SourceEntry {
  /** Path below the source root, '/'-separated; '' is the source itself. */
  rel: string;
  kind: EntryKind;
  /** Permission and special bits (07777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  linkname?: string;
  /** Host path a file's bytes are read from. */
  path?: string;
}

export interface CopySource {
  /** The name a file gets when it is copied into a directory. */
  name: string;
  /** entries[0] (rel '') is the source itself; a directory's descendants follow, parents first. */
  entries: SourceEntry[];
}

export interface CopyDest {
  /** The destination resolved in the image: symlink-free, relative to the root ('' = /). */
  rel: string;
  /** Written ending in '/' (or as '.'): a directory whatever exists. */
  wantsDir: boolean;
  /** What the image has at `rel`. */
  existing?: 'dir' | 'other';
}

export interface ImageDirInfo {
  isDir: boolean;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
}

export interface CopyPlanOptions {
  /** --chown, resolved. */
  owner?: Owner;
  chmod?: string;
  /** Reproducibility: no mtime after this (seconds; SOURCE_DATE_EPOCH or the build's default). */
  mtimeClamp: number;
  /** Metadata of a path in the image the copy goes into (for parents that exist). */
  imageDir: (rel: string) => ImageDirInfo | undefined;
  /** "COPY" or "ADD", for messages. */
  command: string;
}

export function multipleSourcesError(command: string): MinidockError {
  return new MinidockError(`When using ${command} with more than one source file, the destination must be a directory and end with a /`, { kind: 'invalid' });
}

/** The layer's tar entries, sorted (parents first), each path once. */
export function planCopy(sources: readonly CopySource[], dest: CopyDest, opts: CopyPlanOptions): PlannedEntry[] {
  const intoDir = dest.wantsDir || dest.existing === 'dir' || dest.rel === '';
  if (sources.length > 1 && !intoDir) throw multipleSourcesError(opts.command);
  const byPath = new Map<string, PlannedEntry>();
  for (const src of sources) {
    const root = src.entries[0];
    const base = root.kind === 'dir' ? dest.rel : intoDir ? join(dest.rel, src.name) : dest.rel;
    if (root.kind === 'dir' && dest.existing === 'other') throw notADirectory(dest.rel, opts.command);
    for (const e of src.entries) {
      const path = join(base, e.rel);
      // The destination directory itself keeps the image's metadata when it already exists.
      if (path === '' || (e.rel === '' && e.kind === 'dir' && dest.existing === 'dir')) continue;
      byPath.set(path, { header: headerFor(path, e, opts), source: e.kind === 'file' ? e.path : undefined });
    }
  }
  for (const path of [...byPath.keys()]) addParents(path, byPath, opts);
  return [...byPath.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
}

function headerFor(name: string, e: SourceEntry, opts: CopyPlanOptions): TarHeader {
  // Entries carry the owner they get without --chown (0:0 for context files, see copy-sources).
  const owner = opts.owner ?? { uid: e.uid, gid: e.gid };
  const mode = opts.chmod !== undefined && e.kind !== 'symlink' ? applyChmod(opts.chmod, e.mode, e.kind === 'dir') : e.mode;
  return {
    name,
    type: e.kind,
    mode: e.kind === 'symlink' ? 0o777 : mode,
    uid: owner.uid,
    gid: owner.gid,
    size: e.kind === 'file' ? e.size : 0,
    mtime: Math.min(Math.floor(e.mtime), opts.mtimeClamp),
    linkname: e.linkname ?? '',
    devmajor: 0,
    devminor: 0,
  };
}

function addParents(path: string, byPath: Map<string, PlannedEntry>, opts: CopyPlanOptions): void {
  for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
    const parent = path.slice(0, i);
    const planned = byPath.get(parent);
    if (planned) {
      if (planned.header.type !== 'dir') throw notADirectory(parent, opts.command);
      continue;
    }
    const have = opts.imageDir(parent);
    if (have && !have.isDir) throw notADirectory(parent, opts.command);
    const owner = have ?? opts.owner ?? { uid: 0, gid: 0 };
    byPath.set(parent, {
      header: {
        name: parent,
        type: 'dir',
        mode: have ? have.mode : 0o755,
        uid: owner.uid,
        gid: owner.gid,
        size: 0,
        mtime: Math.min(have ? Math.floor(have.mtime) : opts.mtimeClamp, opts.mtimeClamp),
        linkname: '',
        devmajor: 0,
        devminor: 0,
      },
    });
  }
}

function notADirectory(rel: string, command: string): MinidockError {
  return new MinidockError(`${command}: cannot copy to /${rel}: it is not a directory in the image`, { kind: 'invalid' });
}

function join(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return `${a}/${b}`;
}
