// Layer blobs arrive as plain tar or gzip (OCI media types `.tar` and `.tar+gzip`); the
// compression is detected from the magic bytes, not trusted from a media type or a file
// name. Node 20's zlib has no zstd, so `.tar+zstd` layers are refused with that reason.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { errnoCode, invalid } from '../errors.js';

export type Compression = 'none' | 'gzip' | 'zstd' | 'bzip2' | 'xz';

/** The compression of a stream whose first bytes are `head` (at least 6 when available). */
export function detectCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x28b52ffd) return 'zstd';
  if (head.length >= 3 && head.toString('latin1', 0, 3) === 'BZh') return 'bzip2';
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  return 'none';
}

/** The uncompressed bytes of `input`, a plain or gzipped tar. */
export async function* decompressed(input: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  while (headLength < 6) {
    const r = await it.next();
    if (r.done) break;
    const b = toBuffer(r.value);
    head.push(b);
    headLength += b.length;
  }
  const first = Buffer.concat(head, headLength);
  const kind = detectCompression(first);
  if (kind === 'none') {
    // rest() hands the input back (it.return) when our consumer stops early, e.g. on an error.
    yield* rest(first, it);
    return;
  }
  if (kind !== 'gzip') {
    await it.return?.();
    throw invalid(`the layer is ${kind}-compressed, which is not supported`, { hint: 'use an uncompressed or gzip layer' });
  }
  const source = Readable.from(rest(first, it), { objectMode: false });
  // 256 KiB output chunks: zlib's 16 KiB default means 16x more trips through the tar parser.
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  const piping = pipeline(source, gunzip);
  piping.catch(() => undefined); // the same error surfaces through the iteration below
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
    await piping;
  } catch (e) {
    // zlib's own errors (Z_DATA_ERROR, Z_BUF_ERROR for a truncated stream) mean a bad blob;
    // anything else came from the input stream and keeps its own message.
    if (errnoCode(e)?.startsWith('Z_')) throw invalid(`cannot decompress the gzip layer: ${(e as Error).message}`, { cause: e });
    throw e;
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}

async function* rest(first: Buffer, it: AsyncIterator<Buffer | Uint8Array | string>): AsyncGenerator<Buffer> {
  try {
    if (first.length > 0) yield first;
    for (let r = await it.next(); !r.done; r = await it.next()) yield toBuffer(r.value);
  } finally {
    await it.return?.();
  }
}

function toBuffer(v: Buffer | Uint8Array | string): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v, 'latin1');
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}
