// Unpacking a layer blob (possibly compressed) into a pending snapshot while checking that
// the uncompressed bytes are the diff ID the image config promises.
import { createHash } from 'node:crypto';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decompressed } from './compression.js';
import { rootCause, tee } from './tee.js';
import { corrupted } from './store/blobs.js';
import type { PendingSnapshot } from './store/snapshots.js';
import type { ImageStore } from './store/store.js';

export async function unpackVerified(store: ImageStore, input: Readable, diffId: string, what: string): Promise<PendingSnapshot> {
  const { stream } = await decompressed(store.engine.host, input);
  const [toHash, toSnapshot] = tee(stream);
  const hash = createHash('sha256');
  const hashing = pipeline(
    toHash,
    new Writable({
      highWaterMark: 1 << 20,
      write(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        cb();
      },
    }),
  );
  const [h, snap] = await Promise.allSettled([hashing, store.snapshots.unpack(toSnapshot, what)]);
  if (snap.status === 'rejected') throw rootCause(snap.reason, h.status === 'rejected' ? h.reason : undefined);
  if (h.status === 'rejected') {
    store.snapshots.discard(snap.value);
    throw h.reason;
  }
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual !== diffId) {
    store.snapshots.discard(snap.value);
    throw corrupted(diffId, actual);
  }
  return snap.value;
}

/**
 * Check that a layer blob (possibly compressed) holds the diff ID its config names, without
 * unpacking it: for a layer whose snapshot already exists, whose bytes are still about to be
 * stored under an image that claims them.
 */
export async function verifyDiffId(store: ImageStore, input: Readable, diffId: string): Promise<void> {
  const { stream } = await decompressed(store.engine.host, input);
  const hash = createHash('sha256');
  await pipeline(
    stream,
    new Writable({
      highWaterMark: 1 << 20,
      write(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        cb();
      },
    }),
  );
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual !== diffId) throw corrupted(diffId, actual);
}
