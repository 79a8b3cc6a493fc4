// Unpacking a layer blob (possibly compressed) into a pending snapshot while checking that
// the uncompressed bytes are the diff ID the image config promises.
import { createHash } from 'node:crypto';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decompressed } from './compression.js';
import { tee } from './tee.js';
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
  if (snap.status === 'rejected') throw snap.reason;
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
