// Encoding one tar entry's header blocks, deterministically: the same TarHeader always
// gives the same bytes. ustar fields when the values fit (names split at a `/` into the
// prefix field as POSIX allows), a PAX header only for what ustar cannot hold (long or
// non-ASCII names, large ids or sizes, xattrs), with records in a fixed order. No user or
// group names (they would be looked up on the host), no atime/ctime.
import { BLOCK, F, FLAG_PAX, TYPEFLAG, checksum, encodeNumber, encodePaxRecord, type TarHeader } from './header.js';

/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

const MAX_OCTAL_7 = 0o7777777; // 8-byte fields: mode, uid, gid
const MAX_OCTAL_11 = 0o77777777777; // 12-byte fields: size, mtime
const ASCII = /^[\x01-\x7f]*$/;

/** The header blocks for `h` (a PAX header first when needed), ready to precede the data. */
export function encodeHeader(h: TarHeader): Buffer {
  const pax: Buffer[] = [];
  const name = h.type === 'dir' && !h.name.endsWith('/') ? `${h.name}/` : h.name;
  const split = splitName(name);
  if (!split) pax.push(encodePaxRecord('path', name));
  const linkname = h.linkname;
  const linkFits = linkname.length <= 100 && ASCII.test(linkname);
  if (!linkFits) pax.push(encodePaxRecord('linkpath', linkname));
  const size = h.type === 'file' ? h.size : 0;
  if (size > MAX_OCTAL_11) pax.push(encodePaxRecord('size', String(size)));
  if (h.uid > MAX_OCTAL_7) pax.push(encodePaxRecord('uid', String(h.uid)));
  if (h.gid > MAX_OCTAL_7) pax.push(encodePaxRecord('gid', String(h.gid)));
  const mtime = Math.floor(h.mtime);
  if (mtime < 0 || mtime > MAX_OCTAL_11) pax.push(encodePaxRecord('mtime', String(mtime)));
  if (h.xattrs) {
    for (const key of [...h.xattrs.keys()].sort()) pax.push(encodePaxRecord(`SCHILY.xattr.${key}`, h.xattrs.get(key)!));
  }

  const main = zeroBlock();
  // When the real name is in PAX, the ustar field holds a readable stub; never one that ends
  // in '/' for a non-directory, which old readers would take for a directory.
  const [prefix, base] = split ?? ['', h.type === 'dir' ? asciiStub(name, 100) : asciiStub(name, 100).replace(/\/+$/, '')];
  main.write(base, F.name[0], F.name[1], 'utf8');
  if (prefix) main.write(prefix, F.prefix[0], F.prefix[1], 'utf8');
  encodeNumber(main, F.mode[0], F.mode[1], h.mode & 0o7777);
  encodeNumber(main, F.uid[0], F.uid[1], h.uid > MAX_OCTAL_7 ? 0 : h.uid);
  encodeNumber(main, F.gid[0], F.gid[1], h.gid > MAX_OCTAL_7 ? 0 : h.gid);
  encodeNumber(main, F.size[0], F.size[1], size > MAX_OCTAL_11 ? 0 : size);
  encodeNumber(main, F.mtime[0], F.mtime[1], mtime < 0 || mtime > MAX_OCTAL_11 ? 0 : mtime);
  main[F.typeflag[0]] = TYPEFLAG[h.type];
  if (linkname) main.write(linkFits ? linkname : asciiStub(linkname, 100), F.linkname[0], F.linkname[1], 'utf8');
  main.write('ustar\x0000', F.magic[0], 8, 'latin1');
  encodeNumber(main, F.devmajor[0], F.devmajor[1], h.devmajor);
  encodeNumber(main, F.devminor[0], F.devminor[1], h.devminor);
  writeChecksum(main);
  if (pax.length === 0) return main;

  const records = Buffer.concat(pax);
  const paxHeader = zeroBlock();
  // The PAX header's own name is informational; Go writes "PaxHeaders.0/<base>", and so do we.
  const base100 = asciiStub(`PaxHeaders.0/${lastComponent(name)}`, 100);
  paxHeader.write(base100, F.name[0], F.name[1], 'latin1');
  encodeNumber(paxHeader, F.mode[0], F.mode[1], 0o644);
  encodeNumber(paxHeader, F.uid[0], F.uid[1], 0);
  encodeNumber(paxHeader, F.gid[0], F.gid[1], 0);
  encodeNumber(paxHeader, F.size[0], F.size[1], records.length);
  encodeNumber(paxHeader, F.mtime[0], F.mtime[1], 0);
  paxHeader[F.typeflag[0]] = FLAG_PAX;
  paxHeader.write('ustar\x0000', F.magic[0], 8, 'latin1');
  encodeNumber(paxHeader, F.devmajor[0], F.devmajor[1], 0);
  encodeNumber(paxHeader, F.devminor[0], F.devminor[1], 0);
  writeChecksum(paxHeader);
  return Buffer.concat([paxHeader, records, Buffer.alloc(padding(records.length)), main]);
}

/** A zeroed block from Node's shared pool: Buffer.alloc(512) would be one ArrayBuffer (and GC work) per entry. */
function zeroBlock(): Buffer {
  return Buffer.allocUnsafe(BLOCK).fill(0);
}

export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function writeChecksum(b: Buffer): void {
  // Six octal digits, NUL, space: the historical layout every reader accepts.
  b.write(checksum(b).toString(8).padStart(6, '0'), F.chksum[0], 6, 'latin1');
  b[F.chksum[0] + 6] = 0;
  b[F.chksum[0] + 7] = 0x20;
}

/** [prefix, name] when `name` fits the ustar fields as ASCII, else undefined. */
function splitName(name: string): [string, string] | undefined {
  if (!ASCII.test(name)) return undefined;
  if (name.length <= 100) return ['', name];
  // Split at a slash so that the prefix is <= 155 bytes and the rest <= 100 (and not empty).
  const trimmed = name.endsWith('/') ? name.length - 1 : name.length;
  for (let i = name.indexOf('/', Math.max(0, name.length - 101)); i !== -1 && i < trimmed; i = name.indexOf('/', i + 1)) {
    if (i <= 155 && name.length - i - 1 <= 100) return [name.slice(0, i), name.slice(i + 1)];
    if (i > 155) break;
  }
  return undefined;
}

/** An ASCII rendering of `s` cut to `max` bytes, for fields whose real value is in PAX. */
function asciiStub(s: string, max: number): string {
  return s.replace(/[^\x20-\x7e]/g, '_').slice(0, max);
}

function lastComponent(name: string): string {
  const trimmed = name.endsWith('/') ? name.slice(0, -1) : name;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
