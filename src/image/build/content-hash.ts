// What a COPY/ADD source contributes to the step's cache key: one digest over the entries it
// copies, in order — path, type, mode, size, link target and a sha256 of each file's bytes.
// Not the mtime (BuildKit's contenthash ignores it: `touch` alone does not rebuild) and not the
// owner (context files are copied as 0:0 whatever they are on disk).
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, constants as C } from 'node:fs';
import type { SourceEntry } from './copy-plan.js';

const CHUNK = 1 << 20;

export function hashFile(path: string): string {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(path, C.O_RDONLY | C.O_NOFOLLOW);
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** Digest of a source's entries (as they will be copied: owner-less, mtime-less). */
export function entriesDigest(entries: readonly SourceEntry[]): string {
  const h = createHash('sha256');
  for (const e of entries) {
    const content = e.kind === 'file' && e.path !== undefined ? hashFile(e.path) : '';
    h.update(`${JSON.stringify([e.rel, e.kind, e.mode, e.kind === 'file' ? e.size : 0, e.linkname ?? '', content])}\n`);
  }
  return `sha256:${h.digest('hex')}`;
}
