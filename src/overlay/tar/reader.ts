// A pull parser for tar streams: push input chunks in, take events out. Data events are
// slices of the pushed chunk (no copy), valid until the next push. Our own parser rather
// than tar-stream's extract because unpacking must be within 1.3x of GNU tar, and
// tar-stream alone (a stream object and two callbacks per entry) costs most of that
// budget; it also decodes PAX values as UTF-8, which corrupts binary xattrs such as
// security.capability. tar-stream stays in the tests as an independent writer.
//
// Header-only types (links, devices, dirs, fifos) carry no data whatever their size field
// says, as in Go's archive/tar: Docker and containerd parse layers that way, and two
// parsers that disagree on where the next header starts are how scanners get fooled.
import { invalid } from '../../errors.js';
import {
  BLOCK,
  F,
  FLAG_GNU_LONGLINK,
  FLAG_GNU_LONGNAME,
  FLAG_PAX,
  FLAG_PAX_GLOBAL,
  checksum,
  decodeNumber,
  decodePaxRecords,
  decodeString,
  isZeroBlock,
  signedChecksum,
  type EntryType,
  type TarHeader,
} from './header.js';

export type TarEvent =
  | { kind: 'header'; header: TarHeader }
  | { kind: 'data'; chunk: Buffer }
  | { kind: 'end' };

/** PAX/GNU metadata entries larger than this are refused rather than buffered. */
const META_LIMIT = 16 << 20;

const TYPES: Record<number, EntryType> = {
  0x00: 'file',
  0x30: 'file',
  0x37: 'file', // contiguous file: a regular file everywhere that matters
  0x31: 'link',
  0x32: 'symlink',
  0x33: 'char',
  0x34: 'block',
  0x35: 'dir',
  0x36: 'fifo',
};

/** PAX keys we know and deliberately do not apply: names are never looked up, atime/ctime are not kept. */
const PAX_IGNORED_BY_DESIGN = new Set(['uname', 'gname', 'atime', 'ctime', 'comment', 'charset', 'hdrcharset']);

type State = 'header' | 'data' | 'meta' | 'eof';

export class TarReader {
  /** Bytes of tar consumed so far (the uncompressed layer size once done). */
  bytes = 0;
  /** Global PAX records seen (`g` entries); reported, not applied. */
  readonly globalPaxKeys = new Set<string>();

  private buf: Buffer = Buffer.alloc(0);
  private off = 0;
  private partial: Buffer | undefined; // a header block split across chunks
  private state: State = 'header';
  private remaining = 0; // data bytes left in the current entry
  private pad = 0; // padding bytes after it
  private endPending = false;
  private metaFlag = 0;
  private meta: Buffer[] = [];
  private metaSize = 0;
  private pax: Map<string, Buffer> | undefined;
  private longName: string | undefined;
  private longLink: string | undefined;

  push(chunk: Buffer): void {
    if (this.off < this.buf.length) throw new Error('TarReader.push before the previous chunk was consumed');
    this.buf = chunk;
    this.off = 0;
  }

  get done(): boolean {
    return this.state === 'eof';
  }

  /** The next event, or undefined when the pushed input is used up. */
  next(): TarEvent | undefined {
    for (;;) {
      if (this.endPending) {
        this.endPending = false;
        return { kind: 'end' };
      }
      if (this.state === 'eof') {
        this.bytes += this.buf.length - this.off;
        this.off = this.buf.length;
        return undefined;
      }
      const avail = this.buf.length - this.off;
      if (this.state === 'data' && this.remaining > 0) {
        if (avail === 0) return undefined;
        const take = Math.min(avail, this.remaining);
        const chunk = this.buf.subarray(this.off, this.off + take);
        this.consume(take);
        this.remaining -= take;
        if (this.remaining === 0) this.finishData();
        return { kind: 'data', chunk };
      }
      if (this.state === 'meta' && this.remaining > 0) {
        if (avail === 0) return undefined;
        const take = Math.min(avail, this.remaining);
        this.meta.push(Buffer.from(this.buf.subarray(this.off, this.off + take)));
        this.consume(take);
        this.remaining -= take;
        if (this.remaining === 0) this.finishMeta();
        continue;
      }
      if (this.pad > 0) {
        if (avail === 0) return undefined;
        const take = Math.min(avail, this.pad);
        this.consume(take);
        this.pad -= take;
        continue;
      }
      // state 'header' (or a finished data/meta entry whose padding is consumed)
      const block = this.takeBlock();
      if (!block) return undefined;
      const [b, at] = block;
      const ev = this.parseHeader(b, at);
      if (ev) return ev;
    }
  }

  /** The input has ended: complain if it stopped inside an entry. */
  finish(): void {
    if (this.state === 'eof') return;
    if (this.partial || this.remaining > 0 || this.pad > 0 || this.state !== 'header') {
      throw invalid(`the tar stream is truncated (${this.bytes} bytes read)`, { hint: 'the layer file is incomplete or corrupt' });
    }
    // No end-of-archive blocks: accepted, as Go's archive/tar and GNU tar do.
    this.state = 'eof';
  }

  private consume(n: number): void {
    this.off += n;
    this.bytes += n;
  }

  /** A whole 512-byte block as (buffer, offset), stitching across chunks when needed. */
  private takeBlock(): [Buffer, number] | undefined {
    const avail = this.buf.length - this.off;
    if (this.partial) {
      const need = BLOCK - this.partial.length;
      const take = Math.min(need, avail);
      this.partial = Buffer.concat([this.partial, this.buf.subarray(this.off, this.off + take)]);
      this.consume(take);
      if (this.partial.length < BLOCK) return undefined;
      const b = this.partial;
      this.partial = undefined;
      return [b, 0];
    }
    if (avail >= BLOCK) {
      const at = this.off;
      this.consume(BLOCK);
      return [this.buf, at];
    }
    if (avail > 0) {
      this.partial = Buffer.from(this.buf.subarray(this.off));
      this.consume(avail);
    }
    return undefined;
  }

  private parseHeader(b: Buffer, at: number): TarEvent | undefined {
    if (isZeroBlock(b, at)) {
      // End of archive. Whatever follows (the second zero block, record padding) is drained.
      this.state = 'eof';
      return undefined;
    }
    const stored = decodeNumber(b, at + F.chksum[0], F.chksum[1]);
    if (stored !== checksum(b, at) && stored !== signedChecksum(b, at)) {
      throw invalid(`invalid tar header checksum at byte ${this.bytes - BLOCK}`, {
        hint: 'the file is not a tar archive, or it is corrupt',
      });
    }
    const flag = b[at + F.typeflag[0]];
    const size = this.number(b, at, F.size);
    if (flag === FLAG_PAX || flag === FLAG_PAX_GLOBAL || flag === FLAG_GNU_LONGNAME || flag === FLAG_GNU_LONGLINK) {
      if (size > META_LIMIT) throw invalid(`tar metadata entry of ${size} bytes is too large`);
      this.metaFlag = flag;
      this.meta = [];
      this.metaSize = size;
      this.state = 'meta';
      this.remaining = size;
      this.pad = padding(size);
      if (size === 0) this.finishMeta();
      return undefined;
    }
    const header = this.buildHeader(b, at, flag, size);
    const dataSize = header.type === 'file' ? header.size : 0;
    this.state = 'data';
    this.remaining = dataSize;
    // Header-only types skip no data; a 'file' is followed by its padded data.
    this.pad = padding(dataSize);
    if (dataSize === 0) this.finishData();
    return { kind: 'header', header };
  }

  private buildHeader(b: Buffer, at: number, flag: number, size: number): TarHeader {
    let name = decodeString(b, at + F.name[0], F.name[1]);
    // ustar (and POSIX) put a directory prefix in its own field; GNU's old format does not.
    if (b.toString('latin1', at + F.magic[0], at + F.magic[0] + 6) === 'ustar\0' && b[at + F.prefix[0]] !== 0) {
      name = `${decodeString(b, at + F.prefix[0], F.prefix[1])}/${name}`;
    }
    let type = TYPES[flag];
    if (type === undefined) {
      throw invalid(`tar entry ${JSON.stringify(name)} has unsupported type ${JSON.stringify(String.fromCharCode(flag))}`, {
        hint: 'sparse files, volume labels and multi-volume archives are not supported in layers',
      });
    }
    const header: TarHeader = {
      name: this.longName ?? name,
      type,
      mode: this.number(b, at, F.mode) & 0o7777,
      uid: this.number(b, at, F.uid),
      gid: this.number(b, at, F.gid),
      size,
      mtime: this.number(b, at, F.mtime),
      linkname: this.longLink ?? decodeString(b, at + F.linkname[0], F.linkname[1]),
      devmajor: type === 'char' || type === 'block' ? this.number(b, at, F.devmajor) : 0,
      devminor: type === 'char' || type === 'block' ? this.number(b, at, F.devminor) : 0,
    };
    if (this.pax) applyPax(header, this.pax);
    // Pre-POSIX archives marked directories only by a trailing slash, with the old '\0' flag.
    // Only that flag, and on the final name, as Go does: a '0' entry whose ustar name field
    // happens to end in '/' (a cut-down long name) is still a file.
    if (flag === 0 && header.name.endsWith('/')) header.type = 'dir';
    if (header.type !== 'file') header.size = 0;
    this.pax = undefined;
    this.longName = undefined;
    this.longLink = undefined;
    return header;
  }

  private number(b: Buffer, at: number, field: readonly [number, number]): number {
    const v = decodeNumber(b, at + field[0], field[1]);
    if (!Number.isSafeInteger(v)) throw invalid(`invalid number in tar header at byte ${this.bytes - BLOCK}`);
    return v;
  }

  private finishData(): void {
    this.state = 'header';
    this.endPending = true;
  }

  private finishMeta(): void {
    const data = Buffer.concat(this.meta, this.metaSize);
    this.meta = [];
    this.state = 'header';
    try {
      if (this.metaFlag === FLAG_PAX) this.pax = decodePaxRecords(data);
      else if (this.metaFlag === FLAG_PAX_GLOBAL) for (const k of decodePaxRecords(data).keys()) this.globalPaxKeys.add(k);
      else if (this.metaFlag === FLAG_GNU_LONGNAME) this.longName = decodeString(data, 0, data.length);
      else this.longLink = decodeString(data, 0, data.length);
    } catch (e) {
      throw invalid(`invalid tar metadata entry: ${(e as Error).message}`, { cause: e });
    }
  }
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function applyPax(h: TarHeader, pax: Map<string, Buffer>): void {
  for (const [key, value] of pax) {
    const text = () => value.toString('utf8');
    const int = () => {
      const n = Number(text());
      if (!Number.isSafeInteger(n) || n < 0) throw invalid(`invalid PAX ${key} record ${JSON.stringify(text())}`);
      return n;
    };
    if (key === 'path') h.name = text();
    else if (key === 'linkpath') h.linkname = text();
    else if (key === 'size') h.size = int();
    else if (key === 'uid') h.uid = int();
    else if (key === 'gid') h.gid = int();
    else if (key === 'mtime') {
      const t = Number(text());
      if (!Number.isFinite(t)) throw invalid(`invalid PAX mtime record ${JSON.stringify(text())}`);
      h.mtime = t;
    } else if (key.startsWith('SCHILY.xattr.')) {
      (h.xattrs ??= new Map()).set(key.slice('SCHILY.xattr.'.length), Buffer.from(value));
    } else if (key.startsWith('GNU.sparse.')) {
      throw invalid(`tar entry ${JSON.stringify(h.name)} is a GNU sparse file, which is not supported in layers`);
    } else if (!PAX_IGNORED_BY_DESIGN.has(key)) {
      (h.ignoredPax ??= []).push(key);
    }
  }
}
