// ADD of a local tar archive (plain, gzip, bzip2 or xz): extracted into the destination
// instead of copied. As docker does, the file is an archive when it decompresses to something
// that reads as a tar, whatever its name; entries keep the archive's owners and modes.
// URLs are never extracted (unless ADD --unpack=true), nor is anything with --unpack=false.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Host } from '../../host/host.js';
import { unpackLayer } from '../../overlay/unpack.js';
import { decompressed, peek, sniffCompression } from '../compression.js';
import { looksLikeTar } from './context-load.js';

const TOOLS = { bzip2: 'bzip2', xz: 'xz', zstd: 'zstd' } as const;

export async function isArchive(host: Host, path: string): Promise<boolean> {
  const head = readHead(path, 512);
  const compression = sniffCompression(head);
  if (compression === 'none') return looksLikeTar(head);
  if (compression !== 'gzip') {
    // Only the first block is needed: `head` ends the decompressor early (SIGPIPE), so no
    // process is left writing into a pipe nobody reads.
    const r = await host.run(['sh', '-c', `${TOOLS[compression]} -dc -- "$1" 2>/dev/null | head -c 512`, 'sh', path], {
      binary: true,
      allowFailure: true,
      why: `checking whether ${path} is a ${compression}-compressed tar (ADD extracts archives)`,
    });
    return looksLikeTar(r.stdoutBuffer ?? Buffer.alloc(0));
  }
  const input = createReadStream(path);
  try {
    const { stream } = await decompressed(host, input);
    const h = await peek(stream, 512);
    stream.destroy();
    return looksLikeTar(h);
  } catch {
    return false;
  } finally {
    input.destroy();
  }
}

export async function extractArchive(host: Host, path: string, dest: string): Promise<void> {
  const { stream } = await decompressed(host, createReadStream(path, { highWaterMark: 1 << 20 }));
  await unpackLayer(host, stream as Readable, dest, { mode: 'apply', preserveOwner: true, label: `the archive ${path}` });
}

function readHead(path: string, n: number): Buffer {
  const buf = Buffer.alloc(n);
  const fd = openSync(path, 'r');
  try {
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
