// Each build step is an image, as in docker's legacy builder: the step's config plus its
// parent's layers and maybe one new layer, committed as an intermediate image whose parent is
// the previous step's image and which carries the step's cache key. A new layer is hashed into
// a blob and unpacked into a snapshot from one read of its tar (or, for a RUN, its upper dir
// is adopted as the snapshot: adopt-upper.ts), and both become visible only with the image
// (ImageStore.commit): a failure leaves neither behind.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { MediaType, type Descriptor, type ImageConfig } from '../oci.js';
import { chainIds } from '../digest.js';
import { tee } from '../tee.js';
import type { PendingSnapshot } from '../store/snapshots.js';
import type { ImageRecord, ImageStore, NewLayer } from '../store/store.js';

export interface LayerRef {
  diffId: string;
  descriptor: Descriptor;
}

/** Where a stage stands: the image of its last step. */
export interface ImageState {
  /** Image ID; undefined for a scratch stage before its first committed step. */
  id?: string;
  config: ImageConfig;
  layers: LayerRef[];
}

export function chainsOf(state: ImageState): string[] {
  return chainIds(state.layers.map((l) => l.diffId));
}

/** An image of the store as a build state (its config and its layers' descriptors). */
export async function loadImageState(store: ImageStore, rec: ImageRecord): Promise<ImageState> {
  const [config, manifest] = await Promise.all([store.config(rec), store.manifest(rec)]);
  const layers = config.rootfs.diff_ids.map((diffId, i) => ({ diffId, descriptor: manifest.layers[i] }));
  return { id: rec.id, config, layers };
}

export interface StepCommit {
  parent: ImageState;
  config: ImageConfig;
  /** The step's layer as an uncompressed tar, if it has one: a stream, or a writer into a
   *  synchronous sink (diffUpperTo; only together with `adopt`). */
  layer?: Readable | ((sink: (chunk: Buffer) => void) => Promise<void>);
  cacheKey: string;
  /** What the layer is, for error messages ("the layer of step [2/3] RUN make"). */
  what: string;
  /** The layer's files as a ready snapshot (a RUN's upper dir), given the tar's size; undefined
   *  when they cannot be adopted, and the tar is unpacked instead. */
  adopt?: (size: number) => PendingSnapshot | undefined;
}

/** Commit a step as an intermediate image; returns the new state and its record. */
export async function commitStep(store: ImageStore, s: StepCommit): Promise<{ state: ImageState; record: ImageRecord }> {
  const ingest = store.blobs.newIngest();
  const layers: NewLayer[] = [...s.parent.layers];
  let config = s.config;
  if (s.layer && s.adopt) {
    // The layer's files already exist in snapshot form: hash the tar into a blob, then adopt them.
    let pending;
    let blob;
    try {
      blob = typeof s.layer === 'function' ? await ingest.writeWith(s.layer) : await ingest.writeStream(s.layer);
      pending = s.adopt(blob.size) ?? (await store.snapshots.unpack(createReadStream(ingest.pathOf(blob.digest)!), s.what));
    } catch (err) {
      ingest.abort();
      throw err;
    }
    const descriptor = { mediaType: MediaType.ociLayer, digest: blob.digest, size: blob.size };
    layers.push({ pending, diffId: blob.digest, descriptor });
    config = { ...config, rootfs: { type: 'layers', diff_ids: [...config.rootfs.diff_ids, blob.digest] } };
  } else if (s.layer) {
    if (typeof s.layer === 'function') throw new Error('commitStep: a layer writer needs `adopt`');
    const [toBlob, toSnapshot] = tee(s.layer);
    const [blob, snap] = await Promise.allSettled([ingest.writeStream(toBlob), store.snapshots.unpack(toSnapshot, s.what)]);
    if (blob.status === 'rejected' || snap.status === 'rejected') {
      ingest.abort();
      if (snap.status === 'fulfilled') store.snapshots.discard(snap.value);
      throw blob.status === 'rejected' ? blob.reason : (snap as PromiseRejectedResult).reason;
    }
    const descriptor = { mediaType: MediaType.ociLayer, digest: blob.value.digest, size: blob.value.size };
    layers.push({ pending: snap.value, diffId: blob.value.digest, descriptor });
    config = { ...config, rootfs: { type: 'layers', diff_ids: [...config.rootfs.diff_ids, blob.value.digest] } };
  }
  const [record] = await store.commit(ingest, [{ config, layers, intermediate: true, parent: s.parent.id, cacheKey: s.cacheKey }]);
  return { state: { id: record.id, config, layers: layers.map(({ diffId, descriptor }) => ({ diffId, descriptor })) }, record };
}
