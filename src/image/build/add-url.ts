// ADD <http(s) URL>: the file is downloaded by the builder (not inside a container), hashed on
// the way (the hash is part of the step's cache key: a changed resource rebuilds the step),
// checked against --checksum, and copied with mode 0600 as docker does. Its name, when it goes
// into a directory, is the last element of the URL path (BuildKit: "__unnamed__" if none); its
// mtime is the Last-Modified header when the server sends one. Never extracted.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { posix } from 'node:path';
import { MinidockError, invalid } from '../../errors.js';

export interface Downloaded {
  path: string;
  name: string;
  digest: string;
  size: number;
  /** Seconds, from Last-Modified; undefined when the server sent none. */
  mtime?: number;
}

export function isUrl(src: string): boolean {
  return src.startsWith('http://') || src.startsWith('https://');
}

/** BuildKit's isGitSource subset: URLs minidock refuses to fetch as plain HTTP. */
export function isGitUrl(src: string): boolean {
  return /^git@|^git:\/\/|^(https?:\/\/)[^#]*\.git(#.*)?$|^github\.com\//.test(src);
}

export function urlFileName(url: string): string {
  try {
    const base = posix.basename(new URL(url).pathname);
    return base === '' || base === '.' || base === '/' ? '__unnamed__' : decodeURIComponent(base);
  } catch {
    return '__unnamed__';
  }
}

export async function download(url: string, dest: string, checksum?: string, signal?: AbortSignal): Promise<Downloaded> {
  if (checksum !== undefined && !/^sha256:[a-f0-9]{64}$/.test(checksum)) throw invalid(`invalid checksum digest format: ${checksum}`);
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow', signal });
  } catch (err) {
    throw new MinidockError(`failed to load cache key: ${url}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`, { kind: 'host', cause: err });
  }
  if (!res.ok || !res.body) throw new MinidockError(`failed to load cache key: invalid response status ${res.status}`, { kind: 'host', context: { url } });
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    Readable.fromWeb(res.body as Parameters<typeof Readable.fromWeb>[0]),
    new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    }),
    createWriteStream(dest, { mode: 0o600 }),
  );
  const digest = `sha256:${hash.digest('hex')}`;
  if (checksum !== undefined && checksum !== digest) {
    throw new MinidockError(`digest mismatch for ${url}: expected ${checksum}, got ${digest}`, { kind: 'invalid' });
  }
  const lm = res.headers.get('last-modified');
  const t = lm ? Date.parse(lm) : Number.NaN;
  return { path: dest, name: urlFileName(url), digest, size, mtime: Number.isFinite(t) ? Math.floor(t / 1000) : undefined };
}
