import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { MinidockError } from '../../../src/errors.js';
import { checksum, decodeNumber, decodePaxRecords, encodePaxRecord, type TarHeader } from '../../../src/overlay/tar/header.js';
import { TarReader, type TarEvent } from '../../../src/overlay/tar/reader.js';
import { END_OF_ARCHIVE, encodeHeader, padding } from '../../../src/overlay/tar/writer.js';
import { TempDirs, craftTar } from './helpers.js';

interface Parsed {
  header: TarHeader;
  data: Buffer;
}

/** Our reader over `buf`, fed in `chunk`-byte pieces. */
function readAll(buf: Buffer, chunk = buf.length || 1): Parsed[] {
  const r = new TarReader();
  const out: Parsed[] = [];
  let cur: { header: TarHeader; parts: Buffer[] } | undefined;
  const handle = (ev: TarEvent) => {
    if (ev.kind === 'header') cur = { header: ev.header, parts: [] };
    else if (ev.kind === 'data') cur!.parts.push(Buffer.from(ev.chunk));
    else out.push({ header: cur!.header, data: Buffer.concat(cur!.parts) });
  };
  for (let i = 0; i < buf.length; i += chunk) {
    r.push(buf.subarray(i, i + chunk));
    for (let ev = r.next(); ev; ev = r.next()) handle(ev);
  }
  r.finish();
  return out;
}

function header(h: Partial<TarHeader> & { name: string }): TarHeader {
  return { type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 1_700_000_000, linkname: '', devmajor: 0, devminor: 0, ...h };
}

/** An archive of our own writer's entries. */
function ourTar(entries: { h: TarHeader; data?: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const { h, data } of entries) {
    parts.push(encodeHeader(h));
    if (data) parts.push(data, Buffer.alloc(padding(data.length)));
  }
  parts.push(END_OF_ARCHIVE);
  return Buffer.concat(parts);
}

/** tar-stream's view of an archive: [name, type, size, linkname, uid, pax]. */
async function tarStreamView(buf: Buffer): Promise<unknown[][]> {
  const ex = extract();
  const rows: unknown[][] = [];
  ex.on('entry', (h, stream, next) => {
    rows.push([h.name, h.type, h.size, h.linkname ?? '', h.uid, h.pax ?? null]);
    stream.on('end', next);
    stream.resume();
  });
  await new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve);
    ex.on('error', reject);
    ex.end(buf);
  });
  return rows;
}

const long = (n: number, seg = 'd') => Array.from({ length: n }, (_, i) => `${seg}${i}`).join('/');

describe('TarReader on archives written by others', () => {
  const temps = new TempDirs();
  afterEach(() => temps.cleanup());

  it('reads tar-stream output, including ustar prefixes, PAX paths and links, at any chunk size', async () => {
    const name150 = `${long(30)}/file.txt`; // > 100 bytes: ustar prefix
    const name300 = `${long(60)}/file.txt`; // > 255 bytes: PAX path
    const tar = await craftTar([
      { name: 'dir/', type: 'directory', mode: 0o755 },
      { name: 'dir/a.txt', content: 'hello', mode: 0o640, uid: 1000, gid: 1001 },
      { name: name150, content: 'x'.repeat(700) },
      { name: name300, content: '' },
      { name: 'héllo/wörld', content: 'u' },
      { name: 'link', type: 'symlink', linkname: `/${long(40)}` },
      { name: 'hard', type: 'link', linkname: 'dir/a.txt' },
      { name: 'fifo', type: 'fifo' },
      { name: 'null', type: 'character-device', devmajor: 1, devminor: 3 },
    ]);
    for (const chunk of [tar.length, 512, 511, 7, 1]) {
      const got = readAll(tar, chunk);
      expect(got.map((e) => [e.header.name, e.header.type])).toEqual([
        ['dir/', 'dir'],
        ['dir/a.txt', 'file'],
        [name150, 'file'],
        [name300, 'file'],
        ['héllo/wörld', 'file'],
        ['link', 'symlink'],
        ['hard', 'link'],
        ['fifo', 'fifo'],
        ['null', 'char'],
      ]);
      expect(got[1].data.toString()).toBe('hello');
      expect(got[1].header).toMatchObject({ mode: 0o640, uid: 1000, gid: 1001, size: 5, mtime: 1_700_000_000 });
      expect(got[2].data.toString()).toBe('x'.repeat(700));
      expect(got[5].header.linkname).toBe(`/${long(40)}`);
      expect(got[8].header).toMatchObject({ devmajor: 1, devminor: 3 });
    }
  });

  it('reads GNU tar in gnu format (L/K long names) and posix format (PAX, atime/ctime ignored by design)', () => {
    const dir = temps.make();
    const src = join(dir, 'src');
    const deep = join(src, long(40, 'directory'));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'f'), 'deep');
    symlinkSync(long(40, 'target'), join(src, 'sym'));
    for (const format of ['gnu', 'posix']) {
      const tar = execFileSync('tar', ['-c', `--format=${format}`, '--sort=name', '-C', src, '.']);
      const got = readAll(tar, 1000);
      const byName = new Map(got.map((e) => [e.header.name.replace(/^\.\//, ''), e]));
      expect(byName.get(`${long(40, 'directory')}/f`)?.data.toString(), format).toBe('deep');
      expect(byName.get('sym')?.header.linkname, format).toBe(long(40, 'target'));
      expect(got.every((e) => e.header.ignoredPax === undefined), format).toBe(true);
    }
  });

  it('gives header-only types no data, whatever their size field says (as Go archive/tar)', async () => {
    const tar = await craftTar([
      { name: 'd/', type: 'directory' },
      { name: 'f', content: 'after' },
    ]);
    // Claim 512 bytes of data for the directory and fix the checksum: the next block must
    // still be read as the header of "f", not skipped as the directory's data.
    tar.write('00000001000\0', 124, 'latin1');
    tar.write(checksum(tar).toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    const got = readAll(tar);
    expect(got.map((e) => e.header.name)).toEqual(['d/', 'f']);
    expect(got[0].header.size).toBe(0);
    expect(got[1].data.toString()).toBe('after');
  });

  it("takes a trailing slash for a directory only with the old '\\0' type flag, as Go does", () => {
    const old = encodeHeader(header({ name: 'olddir/' }));
    old[156] = 0;
    old.write(checksum(old).toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    const modern = encodeHeader(header({ name: 'file-with-slash/' }));
    const got = readAll(Buffer.concat([old, modern, END_OF_ARCHIVE]));
    expect(got.map((e) => [e.header.name, e.header.type])).toEqual([
      ['olddir/', 'dir'],
      ['file-with-slash/', 'file'],
    ]);
  });

  it('rejects a bad checksum, a truncated archive and unsupported entry types', async () => {
    const tar = await craftTar([{ name: 'f', content: 'x'.repeat(1000) }]);
    const bad = Buffer.from(tar);
    bad[0] ^= 1;
    expect(() => readAll(bad)).toThrow(/invalid tar header checksum at byte 0/);
    expect(() => readAll(tar.subarray(0, 900))).toThrow(/truncated/);
    const sparse = Buffer.from(tar);
    sparse[156] = 'S'.charCodeAt(0);
    sparse.write(checksum(sparse).toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    expect(() => readAll(sparse)).toThrow(MinidockError);
    expect(() => readAll(sparse)).toThrow(/unsupported type "S"/);
  });

  it('accepts an archive without end-of-archive blocks, and ignores what follows them', async () => {
    const tar = await craftTar([{ name: 'f', content: 'abc' }]);
    const withoutEnd = tar.subarray(0, 1024); // header + one data block
    expect(readAll(withoutEnd).map((e) => e.header.name)).toEqual(['f']);
    const withTrailer = Buffer.concat([tar, Buffer.from('garbage after the end')]);
    expect(readAll(withTrailer).map((e) => e.header.name)).toEqual(['f']);
  });

  it('decodes octal with spaces and NULs, and GNU base-256', () => {
    expect(decodeNumber(Buffer.from('0000644\0'), 0, 8)).toBe(0o644);
    expect(decodeNumber(Buffer.from('  644 \0\0'), 0, 8)).toBe(0o644);
    expect(decodeNumber(Buffer.from('\0\0\0\0\0\0\0\0'), 0, 8)).toBe(0);
    expect(decodeNumber(Buffer.from([0x80, 0, 0, 0, 0, 0x01, 0x00, 0x00]), 0, 8)).toBe(65536);
    expect(decodeNumber(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 0, 8)).toBe(-1);
    expect(decodeNumber(Buffer.from('12x4'), 0, 4)).toBeNaN();
  });
});

describe('PAX records', () => {
  it.each([1, 80, 89, 90, 91, 95, 96, 990, 994, 995, 1000])('length prefix is right for a %i-byte value', (n) => {
    const rec = encodePaxRecord('path', 'p'.repeat(n));
    expect(Number(rec.toString('latin1').split(' ')[0])).toBe(rec.length);
    expect(decodePaxRecords(rec).get('path')?.toString()).toBe('p'.repeat(n));
  });

  it('keeps binary values byte for byte', () => {
    const value = Buffer.from([0x01, 0x00, 0x00, 0x02, 0xff, 0x80, 0x0a, 0x3d]);
    const recs = decodePaxRecords(Buffer.concat([encodePaxRecord('SCHILY.xattr.security.capability', value), encodePaxRecord('uid', '7')]));
    expect(recs.get('SCHILY.xattr.security.capability')).toEqual(value);
    expect(recs.get('uid')?.toString()).toBe('7');
  });

  it('rejects a record whose length is wrong', () => {
    expect(() => decodePaxRecords(Buffer.from('99 path=x\n'))).toThrow(/malformed PAX record/);
  });
});

describe('encodeHeader', () => {
  const cases: TarHeader[] = [
    header({ name: 'etc/passwd', size: 3 }),
    header({ name: 'dir', type: 'dir', mode: 0o1777 }),
    header({ name: `${long(30)}/prefixed.txt`, size: 3 }),
    header({ name: `${long(70)}/pax.txt`, size: 3 }),
    header({ name: 'ünïcode/名前', size: 3 }),
    header({ name: `${'a'.repeat(99)}/${'b'.repeat(200)}`, size: 3 }), // its 100-byte ustar stub ends in '/'
    header({ name: 'sym', type: 'symlink', linkname: `../${long(40)}` }),
    header({ name: 'hard', type: 'link', linkname: 'etc/passwd' }),
    header({ name: 'big-ids', uid: 3_000_000, gid: 4_000_000, size: 3 }),
    header({ name: 'old', mtime: -86400, size: 3 }),
    header({ name: 'dev', type: 'block', devmajor: 259, devminor: 1_048_575 }),
    header({ name: 'caps', size: 3, xattrs: new Map([['security.capability', Buffer.from([1, 0, 0, 2, 0x80, 0xff])], ['user.a', Buffer.from('b')]]) }),
  ];
  const tar = () => ourTar(cases.map((h) => ({ h, data: h.type === 'file' ? Buffer.from('abc') : undefined })));

  it('round-trips through our reader', () => {
    const got = readAll(tar(), 333);
    expect(got.map((e) => e.header)).toEqual(
      cases.map((h) => ({ ...h, name: h.type === 'dir' ? `${h.name}/` : h.name })),
    );
  });

  it('is read the same by tar-stream (an independent parser)', async () => {
    const rows = await tarStreamView(tar());
    const types: Record<string, string> = { dir: 'directory', block: 'block-device', file: 'file', symlink: 'symlink', link: 'link' };
    expect(rows.map((r) => r.slice(0, 4))).toEqual(
      cases.map((h) => [h.type === 'dir' ? `${h.name}/` : h.name, types[h.type], h.type === 'file' ? 3 : 0, h.linkname]),
    );
    // tar-stream does not apply a PAX uid itself, but it must see the record.
    expect(rows.find((r) => r[0] === 'big-ids')?.[5]).toMatchObject({ uid: '3000000', gid: '4000000' });
  });

  it('is listed the same by GNU tar', () => {
    const listing = execFileSync('tar', ['-tv', '--numeric-owner', '--full-time', '-f', '-'], { input: tar() }).toString();
    expect(listing).toContain(' 3000000/4000000 ');
    expect(listing).toContain(`${long(70)}/pax.txt`);
    expect(listing).toContain('ünïcode/名前');
    expect(listing).toContain(`sym -> ../${long(40)}`);
    expect(listing).toContain('hard link to etc/passwd');
    expect(listing).toMatch(/^drwxrwxrwt .* dir\/$/m);
    expect(listing).toMatch(/^b.* 259,1048575 .* dev$/m);
    expect(listing).toContain('1969-12-31 00:00:00 old');
  });

  it('gives the same bytes for the same header, and no names or times that vary', () => {
    expect(tar().equals(tar())).toBe(true);
    const h = encodeHeader(header({ name: `${long(70)}/pax.txt` }));
    expect(h.toString('latin1', 0, 100)).toMatch(/^PaxHeaders\.0\/pax\.txt\0/);
    expect(h.subarray(265, 329).every((b) => b === 0)).toBe(true); // uname, gname of the PAX header
  });
});
