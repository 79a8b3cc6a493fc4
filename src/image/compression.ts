// Tarballs arrive plain or compressed (docker import/load accept gzip, bzip2, xz, zstd).
// The format is sniffed from the magic bytes; gzip is decoded in-process, the others by the
// standard tools through the host gateway.
import { createGunzip } from 'node:zlib';
import { PassThrough, type Readable } from 'node:stream';
import type { Host } from '../host/host.js';
import { detectCompression, type Compression } from '../overlay/decompress.js';

export type { Compression };
/** The compression whose magic bytes start `head`. */
export const sniffCompression = detectCompression;

/** Wait for the first bytes of a stream without consuming them. */
export async function peek(stream: Readable, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let have = 0;
  while (have < n) {
    const chunk: Buffer | null = stream.read();
    if (chunk === null) {
      if (stream.readableEnded) break;
      const ended = await new Promise<boolean>((resolve, reject) => {
        const onReadable = () => done(false);
        const onEnd = () => done(true);
        const onError = (e: Error) => {
          cleanup();
          reject(e);
        };
        const cleanup = () => {
          stream.off('readable', onReadable);
          stream.off('end', onEnd);
          stream.off('error', onError);
        };
        const done = (v: boolean) => {
          cleanup();
          resolve(v);
        };
        stream.once('readable', onReadable);
        stream.once('end', onEnd);
        stream.once('error', onError);
      });
      if (ended) break;
      continue;
    }
    chunks.push(chunk);
    have += chunk.length;
  }
  const head = Buffer.concat(chunks);
  if (head.length) stream.unshift(head);
  return head.subarray(0, n);
}

const TOOLS: Record<Exclude<Compression, 'none' | 'gzip'>, string[]> = {
  bzip2: ['bzip2', '-dc'],
  xz: ['xz', '-dc'],
  zstd: ['zstd', '-dc'],
};

/** The stream decompressed, whatever it was compressed with. */
export async function decompressed(host: Host, input: Readable): Promise<{ stream: Readable; compression: Compression }> {
  const compression = sniffCompression(await peek(input, 6));
  if (compression === 'none') return { stream: input, compression };
  if (compression === 'gzip') {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    input.on('error', (e) => gunzip.destroy(e));
    return { stream: input.pipe(gunzip), compression };
  }
  const child = host.spawn({ argv: TOOLS[compression], options: { stdio: ['pipe', 'pipe', 'inherit'] }, why: `decompressing ${compression}` });
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  input.on('error', (e) => out.destroy(e));
  child.on('error', (e) => out.destroy(e));
  child.on('exit', (code) => {
    if (code !== 0) out.destroy(new Error(`${TOOLS[compression][0]} exited with status ${code}`));
  });
  input.pipe(child.stdin!);
  child.stdout!.pipe(out);
  return { stream: out, compression };
}
