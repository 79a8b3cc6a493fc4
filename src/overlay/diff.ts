// Layer tars out of directories: `diffUpper` for a container's overlay upper dir (commit,
// each build step), `tarDirectory` for a plain tree (the base image script, COPY).
// An upper dir holds overlayfs's form of a change, translated back to OCI here:
//   char device 0/0 NAME           -> regular file .wh.NAME (size 0)
//   dir with trusted.overlay.opaque=y -> the dir, then D/.wh..wh..opq before its children
// Hard links are found by inode within the tree (overlay's shared whiteout inodes are
// whiteouts, not links). Output is deterministic: a fixed walk order, whiteouts first in
// each directory (the OCI spec asks for them before their siblings), no user/group names,
// no atime/ctime, PAX records only when needed and sorted. `normalize` clamps mtimes too,
// so two builds of the same content give the same bytes (SOURCE_DATE_EPOCH).
//
// The upper dir is read as it is: pause the container for a commit (Docker does too).
// It assumes the overlay was mounted with redirect_dir=off and metacopy=off (mount.ts),
// so that every changed file in upper is whole and no rename hides behind an xattr.
import { readlinkSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { MinidockError, wrap } from '../errors.js';
import type { Host } from '../host/host.js';
import type { TarHeader } from './tar/header.js';
import { tarStream, writeTar, type PlannedEntry } from './tarstream.js';
import { walkTree, type WalkEntry } from './walk.js';
import { WarningList } from './warnings.js';
import { OPAQUE_MARKER, WHITEOUT_PREFIX } from './whiteouts.js';
import { OPAQUE_XATTR, parseDump, xattrPolicy } from './xattrs.js';

export interface LayerTarOptions {
  /** Reproducible output: mtimes clamped to `mtime` (seconds), or set to it with `clamp: false`. */
  normalize?: { mtime?: number; clamp?: boolean };
  /** What could not be archived (sockets, host security labels, files changing meanwhile). */
  onWarning?: (message: string) => void;
}

export interface DirectoryTarOptions extends LayerTarOptions {
  /** false leaves out an entry (a directory with its subtree); paths are relative, '/'-separated. */
  filter?: (rel: string) => boolean;
}

/**
 * The upper dir of an overlay mount as an OCI layer tar (uncompressed). One `getfattr`
 * run reads every xattr of the tree, opaque markers included; it runs while we walk.
 */
export async function diffUpper(host: Host, upperDir: string, opts: LayerTarOptions = {}): Promise<Readable> {
  const { entries, doing } = await planDiff(host, upperDir, opts);
  return tarStream(entries, opts.onWarning, doing);
}

/**
 * diffUpper into a synchronous sink, one reused buffer (see writeTar): each chunk is valid
 * only until `sink` returns. Twice as fast as the stream for a commit that hashes and
 * writes the blob with writeSync; blocks the event loop while it runs.
 */
export async function diffUpperTo(host: Host, upperDir: string, sink: (chunk: Buffer) => void, opts: LayerTarOptions = {}): Promise<void> {
  const { entries, doing } = await planDiff(host, upperDir, opts);
  writeTar(entries, sink, opts.onWarning, doing);
}

async function planDiff(host: Host, upperDir: string, opts: LayerTarOptions): Promise<{ entries: PlannedEntry[]; doing: string }> {
  const root = resolve(upperDir);
  const doing = `archiving the changes in ${root}`;
  const dumping = host.run(['getfattr', '-R', '-P', '-h', '-d', '-m', '-', '-e', 'base64', '.'], {
    cwd: root,
    why: 'reading the extended attributes of an upper dir (opaque directories among them)',
  });
  dumping.catch(() => undefined); // awaited below; a failing walk must not leave it unhandled
  const warnings = new WarningList();
  let entries: PlannedEntry[];
  try {
    const planned = planLayer(walkLayer(root, true), { overlay: true, normalize: opts.normalize }, warnings);
    entries = withXattrs(planned, parseDump((await dumping).stdout), warnings);
  } catch (e) {
    throw wrap(doing, e, e instanceof MinidockError ? {} : { kind: 'host' });
  }
  for (const w of warnings.list()) opts.onWarning?.(w);
  return { entries, doing };
}

/**
 * A plain directory as a layer tar: no whiteout translation, no xattrs (reading them needs
 * a Host; the trees this is for do not carry any). The root directory itself is not an entry.
 */
export function tarDirectory(dir: string, opts: DirectoryTarOptions = {}): Readable {
  const root = resolve(dir);
  const doing = `archiving ${root}`;
  const warnings = new WarningList();
  let entries: PlannedEntry[];
  try {
    entries = planLayer(walkLayer(root, false, opts.filter), { overlay: false, normalize: opts.normalize }, warnings);
  } catch (e) {
    throw wrap(doing, e, { kind: 'host' });
  }
  for (const w of warnings.list()) opts.onWarning?.(w);
  return tarStream(entries, opts.onWarning, doing);
}

/** The tree in archive order; in an upper dir, whiteouts come first among their siblings. */
function walkLayer(root: string, overlay: boolean, filter?: (rel: string) => boolean): Iterable<WalkEntry> {
  return walkTree(root, {
    rank: overlay ? (_name, st) => (isWhiteout(st) ? 0 : 1) : undefined,
    filter: filter ? (rel) => filter(rel) : undefined,
  });
}

interface PlanOptions {
  overlay: boolean;
  normalize?: LayerTarOptions['normalize'];
}

/** The entries of the tar, in order, without xattrs; files are read when the stream is consumed. */
function planLayer(walk: Iterable<WalkEntry>, opts: PlanOptions, warnings: WarningList): PlannedEntry[] {
  const out: PlannedEntry[] = [];
  const firstLink = new Map<string, string>(); // "dev:ino" -> first archive name
  for (const { rel, abs, st } of walk) {
    const base = { uid: st.uid, gid: st.gid, mtime: mtimeOf(st, opts.normalize), linkname: '', devmajor: 0, devminor: 0, size: 0 };
    if (opts.overlay && isWhiteout(st)) {
      const slash = rel.lastIndexOf('/');
      const name = `${rel.slice(0, slash + 1)}${WHITEOUT_PREFIX}${rel.slice(slash + 1)}`;
      out.push({ header: { ...base, name, type: 'file', mode: 0o600 } });
      continue;
    }
    const mode = st.mode & 0o7777;
    if (st.isDirectory()) {
      out.push({ header: { ...base, name: rel, type: 'dir', mode }, path: rel });
      continue;
    }
    if (st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      const first = firstLink.get(key);
      if (first !== undefined) {
        out.push({ header: { ...base, name: rel, type: 'link', mode, linkname: first } });
        continue;
      }
      firstLink.set(key, rel);
    }
    const header = headerFor(st, abs, rel, { ...base, mode }, warnings);
    if (header) out.push({ header, source: header.type === 'file' ? abs : undefined, path: rel });
  }
  return out;
}

/** Attaches the xattrs we keep, and puts each opaque dir's `.wh..wh..opq` right after it. */
function withXattrs(planned: PlannedEntry[], dump: Map<string, Map<string, Buffer>>, warnings: WarningList): PlannedEntry[] {
  if (dump.size === 0) return planned;
  const out: PlannedEntry[] = [];
  for (const p of planned) {
    out.push(p);
    const found = p.path === undefined ? undefined : dump.get(p.path);
    if (!found) continue;
    p.header.xattrs = keptXattrs(found, p.path!, warnings);
    if (p.header.type === 'dir' && found.get(OPAQUE_XATTR)?.toString() === 'y') {
      const h = p.header;
      out.push({ header: { ...h, name: `${h.name}/${OPAQUE_MARKER}`, type: 'file', mode: h.mode & 0o777, xattrs: undefined } });
    }
  }
  return out;
}

type Base = Omit<TarHeader, 'name' | 'type'>;

function headerFor(st: Stats, abs: string, rel: string, base: Base, warnings: WarningList): TarHeader | undefined {
  if (st.isFile()) return { ...base, name: rel, type: 'file', size: st.size };
  if (st.isSymbolicLink()) return { ...base, name: rel, type: 'symlink', linkname: readlinkSync(abs) };
  if (st.isFIFO()) return { ...base, name: rel, type: 'fifo' };
  if (st.isCharacterDevice() || st.isBlockDevice()) {
    const [devmajor, devminor] = splitDev(st.rdev);
    return { ...base, name: rel, type: st.isCharacterDevice() ? 'char' : 'block', devmajor, devminor };
  }
  // Sockets (and anything newer) have no tar form; Docker skips them too.
  warnings.add('skipped a socket, which a tar cannot hold', rel);
  return undefined;
}

function keptXattrs(found: Map<string, Buffer>, rel: string, warnings: WarningList): Map<string, Buffer> | undefined {
  // overlay-internal names (trusted.overlay.*) are overlayfs bookkeeping: never archived.
  let kept: Map<string, Buffer> | undefined;
  for (const [name, value] of found) {
    const policy = xattrPolicy(name);
    if (policy === 'keep') (kept ??= new Map()).set(name, value);
    else if (policy === 'host-label') warnings.add(`left out host security label ${name}`, rel);
  }
  return kept;
}

function isWhiteout(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

function mtimeOf(st: Stats, normalize: LayerTarOptions['normalize']): number {
  const t = Math.floor(st.mtimeMs / 1000);
  if (normalize?.mtime === undefined) return t;
  return normalize.clamp === false ? normalize.mtime : Math.min(t, normalize.mtime);
}

/** glibc's major()/minor() for the 64-bit dev_t layout. */
export function splitDev(rdev: number): [number, number] {
  const lo = rdev % 2 ** 32 >>> 0;
  const hi = Math.floor(rdev / 2 ** 32) >>> 0;
  const major = ((lo >>> 8) & 0xfff) | (hi & ~0xfff);
  const minor = (lo & 0xff) | ((lo >>> 12) & ~0xff) | ((hi & 0xfff) << 20);
  return [major >>> 0, minor >>> 0];
}
