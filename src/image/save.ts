// `save`: images as one tarball that both `docker load` and OCI tools read — an OCI image
// layout (oci-layout, index.json, blobs/) plus docker's manifest.json, as docker 25+ writes.
// Entries are written in a fixed order with fixed metadata, so saving twice gives the same bytes.
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import tar from 'tar-stream';
import { MediaType, type Descriptor } from './oci.js';
import { parseReference } from './reference.js';
import type { ImageRecord, ImageStore } from './store/store.js';

export interface SaveItem {
  rec: ImageRecord;
  /** The full reference the user named, or none when saved by ID. */
  ref?: string;
}

const ENTRY = { mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' };

export async function saveImages(store: ImageStore, items: SaveItem[], out: Writable): Promise<void> {
  const blobs = new Map<string, number>(); // digest -> size, in first-seen order
  const index: Descriptor[] = [];
  const manifestJson: { Config: string; RepoTags: string[] | null; Layers: string[] }[] = [];
  const byImage = new Map<string, (typeof manifestJson)[number]>();

  for (const { rec, ref } of items) {
    const manifest = await store.manifest(rec);
    blobs.set(rec.manifestDigest, rec.manifestSize);
    blobs.set(manifest.config.digest, manifest.config.size);
    for (const l of manifest.layers) blobs.set(l.digest, l.size);
    const annotations: Record<string, string> = {};
    if (ref) {
      const r = parseReference(ref);
      annotations['io.containerd.image.name'] = r.toString();
      if (r.tag) annotations['org.opencontainers.image.ref.name'] = r.tag;
    }
    const desc: Descriptor = { mediaType: rec.manifestMediaType, digest: rec.manifestDigest, size: rec.manifestSize };
    if (ref) desc.annotations = annotations;
    if (!index.some((d) => d.digest === desc.digest && JSON.stringify(d.annotations) === JSON.stringify(desc.annotations))) index.push(desc);

    let entry = byImage.get(rec.id);
    if (!entry) {
      entry = { Config: blobPath(manifest.config.digest), RepoTags: null, Layers: manifest.layers.map((l) => blobPath(l.digest)) };
      byImage.set(rec.id, entry);
      manifestJson.push(entry);
    }
    if (ref) {
      const tag = parseReference(ref).familiarString();
      entry.RepoTags = [...(entry.RepoTags ?? []), ...(entry.RepoTags?.includes(tag) ? [] : [tag])];
    }
  }

  const pack = tar.pack();
  const done = pipeline(pack, out);
  const addDir = (name: string) => pack.entry({ ...ENTRY, name, type: 'directory', mode: 0o755 });
  const addFile = (name: string, data: string) => pack.entry({ ...ENTRY, name, mode: 0o644 }, data);
  try {
    addDir('blobs/');
    addDir('blobs/sha256/');
    for (const [digest, size] of blobs) {
      // Every blob is verified as it streams (BlobStore.open fails at its end on a mismatch);
      // a corrupt one aborts the whole archive rather than shipping it.
      const src = store.blobs.open(digest);
      const entry = pack.entry({ ...ENTRY, name: blobPath(digest), size, mode: 0o644 });
      await pipeline(src, entry);
    }
    addFile('index.json', JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: index }) + '\n');
    addFile('manifest.json', JSON.stringify(manifestJson) + '\n');
    addFile('oci-layout', JSON.stringify({ imageLayoutVersion: '1.0.0' }) + '\n');
    pack.finalize();
  } catch (err) {
    pack.destroy(err as Error);
    await done.catch(() => {});
    throw err;
  }
  await done;
}

function blobPath(digest: string): string {
  return `blobs/sha256/${digest.slice('sha256:'.length)}`;
}
