// The tar header as the engine sees it, and the byte layout of one 512-byte ustar block
// (POSIX.1-2001 `pax` format, plus the GNU extensions readers meet in the wild).
// Numbers are octal text, or GNU base-256 when they do not fit.
// Reference: https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_06

export const BLOCK = 512;

export type EntryType = 'file' | 'link' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

export interface TarHeader {
  /** The path as written in the archive (after PAX `path` / GNU long names), not cleaned. */
  name: string;
  type: EntryType;
  /** Permission bits and setuid/setgid/sticky (07777). */
  mode: number;
  uid: number;
  gid: number;
  /** Bytes of data that follow; always 0 for types other than 'file'. */
  size: number;
  /** Seconds since the epoch; fractional when a PAX `mtime` record says so. */
  mtime: number;
  /** Target of a symlink, or the archive path of a hard link's target. */
  linkname: string;
  devmajor: number;
  devminor: number;
  /** Extended attributes from PAX `SCHILY.xattr.*` records, values as raw bytes. */
  xattrs?: Map<string, Buffer>;
  /** PAX keys this engine does not apply (reported as warnings by the unpacker). */
  ignoredPax?: string[];
}

/** Raw type flags (byte 156). */
export const TYPEFLAG: Record<EntryType, number> = {
  file: 0x30, // '0'
  link: 0x31,
  symlink: 0x32,
  char: 0x33,
  block: 0x34,
  dir: 0x35,
  fifo: 0x36,
};
export const FLAG_PAX = 0x78; // 'x'
export const FLAG_PAX_GLOBAL = 0x67; // 'g'
export const FLAG_GNU_LONGNAME = 0x4c; // 'L'
export const FLAG_GNU_LONGLINK = 0x4b; // 'K'

/** Field offsets and sizes in the ustar block. */
export const F = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  chksum: [148, 8],
  typeflag: [156, 1],
  linkname: [157, 100],
  magic: [257, 6],
  version: [263, 2],
  uname: [265, 32],
  gname: [297, 32],
  devmajor: [329, 8],
  devminor: [337, 8],
  prefix: [345, 155],
} as const satisfies Record<string, readonly [number, number]>;

/** Octal text or GNU base-256 (high bit set on the first byte). */
export function decodeNumber(b: Buffer, off: number, len: number): number {
  const first = b[off];
  if (first & 0x80) {
    // Base-256: 0x80 positive, 0xff negative (two's complement).
    const negative = first === 0xff;
    let v = negative ? (first ^ 0xff) & 0x7f : first & 0x7f;
    for (let i = off + 1; i < off + len; i++) v = v * 256 + (negative ? b[i] ^ 0xff : b[i]);
    return negative ? -(v + 1) : v;
  }
  let v = 0;
  let seen = false;
  for (let i = off; i < off + len; i++) {
    const c = b[i];
    if (c >= 0x30 && c <= 0x37) {
      v = v * 8 + (c - 0x30);
      seen = true;
    } else if (c === 0 || c === 0x20) {
      if (seen) break; // leading spaces or NULs are padding, trailing ones end the number
    } else {
      return NaN;
    }
  }
  return v;
}

/** Writes `value` as zero-padded octal ending in NUL, or base-256 when it does not fit. */
export function encodeNumber(b: Buffer, off: number, len: number, value: number): void {
  const digits = len - 1;
  if (value >= 0 && value < 8 ** digits) {
    const s = value.toString(8).padStart(digits, '0');
    b.write(s, off, digits, 'latin1');
    b[off + digits] = 0;
    return;
  }
  // GNU base-256; only devmajor/devminor get here, the writer moves the rest to PAX.
  let v = value;
  for (let i = off + len - 1; i > off; i--) {
    b[i] = v % 256;
    v = Math.floor(v / 256);
  }
  b[off] = 0x80;
}

/** Bytes up to the first NUL. */
export function decodeString(b: Buffer, off: number, len: number): string {
  let end = off;
  const max = off + len;
  while (end < max && b[end] !== 0) end++;
  return b.toString('utf8', off, end);
}

/** Unsigned sum of the block with the checksum field taken as spaces. */
export function checksum(b: Buffer, off = 0): number {
  let sum = 8 * 0x20;
  for (let i = off; i < off + 148; i++) sum += b[i];
  for (let i = off + 156; i < off + BLOCK; i++) sum += b[i];
  return sum;
}

/** Some old writers summed signed chars; accept both, as GNU tar does. */
export function signedChecksum(b: Buffer, off = 0): number {
  let sum = 8 * 0x20;
  for (let i = off; i < off + BLOCK; i++) {
    if (i >= off + 148 && i < off + 156) continue;
    sum += b[i] > 127 ? b[i] - 256 : b[i];
  }
  return sum;
}

export function isZeroBlock(b: Buffer, off = 0): boolean {
  for (let i = off; i < off + BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

/** One PAX record: `"<len> <key>=<value>\n"`, where len counts the whole record. */
export function encodePaxRecord(key: string, value: Buffer | string): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`, 'utf8'), Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'), Buffer.from('\n')]);
  let len = body.length + String(body.length).length;
  if (String(len).length !== String(body.length).length) len = body.length + String(len).length;
  return Buffer.concat([Buffer.from(String(len), 'latin1'), body]);
}

/** Parses PAX records; values stay bytes because xattr values are binary. */
export function decodePaxRecords(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let off = 0;
  while (off < buf.length) {
    if (buf[off] === 0) break; // padding after the last record
    const space = buf.indexOf(0x20, off);
    const len = space === -1 ? NaN : Number(buf.toString('latin1', off, space));
    if (!Number.isSafeInteger(len) || len <= 0 || off + len > buf.length || buf[off + len - 1] !== 0x0a) {
      throw new Error(`malformed PAX record at byte ${off}`);
    }
    const eq = buf.indexOf(0x3d, space + 1);
    if (eq === -1 || eq >= off + len) throw new Error(`malformed PAX record at byte ${off}`);
    out.set(buf.toString('utf8', space + 1, eq), buf.subarray(eq + 1, off + len - 1));
    off += len;
  }
  return out;
}
