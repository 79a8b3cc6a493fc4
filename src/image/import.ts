// `minidock import`: a filesystem tarball becomes a one-layer image. The tarball is read
// once: hashed into a blob and unpacked into a snapshot at the same time.
import type { Readable } from 'node:stream';
import { MediaType, hostPlatform, type ContainerConfig, type ImageConfig } from './oci.js';
import { decompressed } from './compression.js';
import { rootCause, tee } from './tee.js';
import type { ImageStore, ImageRecord } from './store/store.js';

export interface ImportOptions {
  /** Full reference to tag the image with. */
  ref?: string;
  /** `--change` edits, already parsed, applied to the container config. */
  editConfig?: (config: ContainerConfig) => ContainerConfig;
  message?: string;
  now?: Date;
}

export async function importTarball(store: ImageStore, input: Readable, opts: ImportOptions = {}): Promise<ImageRecord> {
  const { stream } = await decompressed(store.engine.host, input);
  const [toBlob, toSnapshot] = tee(stream);
  const ingest = store.blobs.newIngest();
  const [blob, snapshot] = await Promise.allSettled([ingest.writeStream(toBlob), store.snapshots.unpack(toSnapshot, 'the imported tarball')]);
  if (blob.status === 'rejected' || snapshot.status === 'rejected') {
    ingest.abort();
    if (snapshot.status === 'fulfilled') store.snapshots.discard(snapshot.value);
    throw rootCause(blob.status === 'rejected' ? blob.reason : undefined, snapshot.status === 'rejected' ? snapshot.reason : undefined);
  }
  const created = (opts.now ?? new Date()).toISOString();
  const comment = opts.message || 'Imported from -';
  const containerConfig = opts.editConfig ? opts.editConfig({}) : {};
  const config: ImageConfig = {
    ...hostPlatform(),
    created,
    config: containerConfig,
    rootfs: { type: 'layers', diff_ids: [blob.value.digest] },
    // docker records the message (default "Imported from -") as the image comment and as
    // the one history entry's comment; created_by stays empty.
    comment,
    history: [{ created, comment }],
  };
  const [rec] = await store.commit(ingest, [{
    config,
    refs: opts.ref ? [opts.ref] : [],
    layers: [
      {
        pending: snapshot.value,
        diffId: blob.value.digest,
        descriptor: { mediaType: MediaType.ociLayer, digest: blob.value.digest, size: blob.value.size },
      },
    ],
  }]);
  return rec;
}
