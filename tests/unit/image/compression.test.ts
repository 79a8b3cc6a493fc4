// Tarballs for import and load arrive plain or compressed: the format is told from its magic
// bytes (never from a file name), and the stream is handed on with nothing consumed.
import { execFileSync } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RealHost } from '../../../src/host/real.js';
import { RecordingHost } from '../../../src/host/script.js';
import { decompressed, peek, sniffCompression } from '../../../src/image/compression.js';

const text = Buffer.from('ustar-ish payload '.repeat(200));

function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function drain(r: Readable): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of r) out.push(c as Buffer);
  return Buffer.concat(out);
}

describe('sniffCompression', () => {
  it.each([
    ['gzip', [0x1f, 0x8b, 0x08, 0x00]],
    ['bzip2', [0x42, 0x5a, 0x68, 0x39]],
    ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
    ['zstd', [0x28, 0xb5, 0x2f, 0xfd, 0x04]],
    ['none', [0x2e, 0x2f, 0x00, 0x00]], // a tar starting with "./"
    ['none', [0x1f]], // too short for any magic
    ['none', []],
    ['none', [0xfd, 0x37, 0x7a, 0x58, 0x5a]], // xz needs all six bytes
  ])('%s ← %j', (want, bytes) => {
    expect(sniffCompression(Buffer.from(bytes))).toBe(want);
  });

  it('recognises what the real tools write', () => {
    expect(sniffCompression(gzipSync(text))).toBe('gzip');
    for (const [tool, name] of [
      ['bzip2', 'bzip2'],
      ['xz', 'xz'],
      ['zstd', 'zstd'],
    ] as const) {
      if (!hasTool(tool)) continue;
      expect(sniffCompression(execFileSync(tool, ['-c'], { input: text }))).toBe(name);
    }
  });
});

describe('peek', () => {
  it('returns the first bytes and leaves them in the stream, across small chunks', async () => {
    const src = new PassThrough();
    const head = peek(src, 6);
    for (const b of [Buffer.from([1, 2]), Buffer.from([3]), Buffer.from([4, 5, 6, 7, 8])]) src.write(b);
    src.end();
    expect([...(await head)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...(await drain(src))]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a stream shorter than asked: what there is; an empty one: nothing', async () => {
    expect([...(await peek(Readable.from([Buffer.from([9, 9])]), 6))]).toEqual([9, 9]);
    expect((await peek(Readable.from([]), 6)).length).toBe(0);
  });
});

describe('decompressed', () => {
  it('passes a plain stream through untouched', async () => {
    const { stream, compression } = await decompressed(new RecordingHost(), Readable.from([text]));
    expect(compression).toBe('none');
    expect((await drain(stream)).equals(text)).toBe(true);
  });

  it('gunzips in-process (no host call)', async () => {
    const host = new RecordingHost();
    const { stream, compression } = await decompressed(host, Readable.from([gzipSync(text)]));
    expect(compression).toBe('gzip');
    expect((await drain(stream)).equals(text)).toBe(true);
    expect(host.calls).toEqual([]);
  });

  it('hands bzip2 to the host tool, as a recorded argv', async () => {
    const host = new RecordingHost();
    const bz = Buffer.from([0x42, 0x5a, 0x68, 0x39, 0x31, 0x41]);
    await decompressed(host, Readable.from([bz])).catch(() => undefined);
    expect(host.calls[0]).toMatchObject({ op: 'spawn', argv: ['bzip2', '-dc'] });
  });

  it.each(['bzip2', 'xz', 'zstd'])('decodes %s through the real tool', async (tool) => {
    if (!hasTool(tool)) return;
    const { stream, compression } = await decompressed(new RealHost(), Readable.from([execFileSync(tool, ['-c'], { input: text })]));
    expect(compression).toBe(tool);
    expect((await drain(stream)).equals(text)).toBe(true);
  });

  it('a corrupt gzip stream fails instead of yielding garbage', async () => {
    const bad = gzipSync(text);
    bad[bad.length - 5] ^= 0xff; // the CRC/length trailer
    const { stream } = await decompressed(new RecordingHost(), Readable.from([bad]));
    await expect(drain(stream)).rejects.toThrow();
  });
});
