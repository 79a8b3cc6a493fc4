// ADD <http(s) URL>: the file is downloaded by the builder (not inside a container), hashed on
// the way (the hash is part of the step's cache key: a changed resource rebuilds the step),
// checked against --checksum, and copied with mode 0600 as docker does. Its name, when it goes
// into a directory, is the last element of the URL path (BuildKit: "__unnamed__" if none); its
// mtime is the Last-Modified header when the server sends one. Never extracted.
//
// node:http(s), not fetch: bin/minidock starts node without NODE_EXTRA_CA_CERTS (parsing the
// bundle costs every command 37 ms) and passes it on as MINIDOCK_EXTRA_CA_CERTS, which only
// this download needs; fetch in Node 20 cannot be given extra CAs per request.
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { posix } from 'node:path';
import { MinidockError, invalid } from '../../errors.js';
import { writeHashed } from '../store/blobs.js';

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

/**
 * A built-in module loaded on first use. (Not `await import()`: a V8 startup snapshot has no
 * dynamic import callback; process.getBuiltinModule is Node >= 20.16.)
 */
function builtin<T>(name: string): T {
  return (process as unknown as { getBuiltinModule(id: string): T }).getBuiltinModule(name);
}

/** Node's own roots plus the bundle the launcher set aside; undefined: node's defaults. */
async function extraCa(): Promise<string[] | undefined> {
  const file = process.env.MINIDOCK_EXTRA_CA_CERTS;
  if (!file) return undefined;
  try {
    const pem = readFileSync(file, 'utf8');
    return [...builtin<typeof import('node:tls')>('node:tls').rootCertificates, pem];
  } catch {
    return undefined; // node itself only warns about an unreadable NODE_EXTRA_CA_CERTS
  }
}

/** GET with redirects followed (as fetch's `redirect: 'follow'`: at most 20). */
async function get(url: string, signal: AbortSignal | undefined, hops = 0): Promise<IncomingMessage> {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  const ca = secure ? await extraCa() : undefined;
  // loaded here, not at the top: tls costs every other command its start-up time
  const client = secure ? builtin<typeof import('node:https')>('node:https') : builtin<typeof import('node:http')>('node:http');
  return new Promise((resolve, reject) => {
    const req = client.get(u, { signal, ...(ca ? { ca } : {}) }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (hops >= 20) return reject(new Error('redirect count exceeded'));
        get(new URL(res.headers.location, u).toString(), signal, hops + 1).then(resolve, reject);
        return;
      }
      resolve(res);
    });
    req.on('error', reject);
  });
}

export async function download(url: string, dest: string, checksum?: string, signal?: AbortSignal): Promise<Downloaded> {
  if (checksum !== undefined && !/^sha256:[a-f0-9]{64}$/.test(checksum)) throw invalid(`invalid checksum digest format: ${checksum}`);
  let res: IncomingMessage;
  try {
    res = await get(url, signal);
  } catch (err) {
    throw new MinidockError(`failed to load cache key: ${url}: ${(err as Error).message}`, { kind: 'host', cause: err });
  }
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 299) {
    res.resume();
    throw new MinidockError(`failed to load cache key: invalid response status ${status}`, { kind: 'host', context: { url } });
  }
  const { digest, size } = await writeHashed(res, dest, { mode: 0o600 });
  if (checksum !== undefined && checksum !== digest) {
    throw new MinidockError(`digest mismatch for ${url}: expected ${checksum}, got ${digest}`, { kind: 'invalid' });
  }
  const lm = res.headers['last-modified'];
  const t = lm ? Date.parse(lm) : Number.NaN;
  return { path: dest, name: urlFileName(url), digest, size, mtime: Number.isFinite(t) ? Math.floor(t / 1000) : undefined };
}
