// Shared by the image-store unit tests: a store in a fresh temp root (recording host: no
// process is spawned), tiny layer tarballs crafted with tar-stream, images committed the way
// import and build commit them, and a consistency check of the whole store.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createEngine } from '../../../src/engine.js';
import { RecordingHost } from '../../../src/host/script.js';
import { chainIds } from '../../../src/image/digest.js';
import { hostPlatform, MediaType, type ContainerConfig, type ImageConfig } from '../../../src/image/oci.js';
import { ImageStore, type ImageRecord } from '../../../src/image/store/store.js';
import { craftTar, type CraftedEntry } from '../overlay/helpers.js';

export { craftTar, type CraftedEntry };

export const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface TempStore {
  root: string;
  store: ImageStore;
  cleanup(): void;
}

export function tempStore(): TempStore {
  const root = mkdtempSync(join(tmpdir(), 'minidock-image-unit-'));
  const store = new ImageStore(createEngine({ host: new RecordingHost(), root }));
  return { root, store, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A one-file layer: `files` maps paths to contents. */
export function layerTar(files: Record<string, string>): Promise<Buffer> {
  return craftTar(Object.entries(files).map(([name, content]) => ({ name, content, mode: 0o644 })));
}

export interface TestImage {
  /** Files of each layer, bottom first. Layers of `parent` come first when it is given. */
  layers?: Record<string, string>[];
  refs?: string[];
  parent?: ImageRecord;
  intermediate?: boolean;
  created?: string;
  config?: ContainerConfig;
  repoDigests?: string[];
}

/** Commit an image as import (one new layer) and build (parent's layers + new ones) do. */
export async function addImage(store: ImageStore, img: TestImage = {}): Promise<ImageRecord> {
  const ingest = store.blobs.newIngest();
  const layers = [];
  if (img.parent) {
    const manifest = await store.manifest(img.parent);
    const config = await store.config(img.parent);
    for (const [i, d] of manifest.layers.entries()) layers.push({ descriptor: d, diffId: config.rootfs.diff_ids[i] });
  }
  for (const files of img.layers ?? [{ [`f-${Math.random()}`]: 'x' }]) {
    const tar = await layerTar(files);
    const blob = await ingest.writeBuffer(tar);
    const pending = await store.snapshots.unpack(Readable.from([tar]), 'a test layer');
    layers.push({ pending, diffId: blob.digest, descriptor: { mediaType: MediaType.ociLayer, digest: blob.digest, size: blob.size } });
  }
  const created = img.created ?? new Date().toISOString();
  const config: ImageConfig = {
    ...hostPlatform(),
    created,
    config: img.config ?? {},
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map(() => ({ created, created_by: 'test' })),
  };
  const [rec] = await store.commit(ingest, [
    { config, layers, refs: img.refs, parent: img.parent?.id, intermediate: img.intermediate, repoDigests: img.repoDigests },
  ]);
  return rec;
}

/**
 * Every catalogue entry's manifest, config and layers exist and hash to their names, every
 * layer's snapshot exists, and no temp file of a finished operation is left behind.
 * Returns the problems found (empty when the store is consistent).
 */
export async function storeProblems(store: ImageStore): Promise<string[]> {
  const problems: string[] = [];
  const { paths } = store.engine;
  const verify = (d: string) => {
    const p = paths.blob(d);
    if (!existsSync(p)) return problems.push(`missing blob ${d}`);
    if (sha256(readFileSync(p)) !== d) problems.push(`corrupt blob ${d}`);
  };
  for (const rec of store.list()) {
    verify(rec.manifestDigest);
    verify(rec.id);
    try {
      const m = await store.manifest(rec);
      for (const l of m.layers) verify(l.digest);
      const c = await store.config(rec);
      if (m.config.digest !== rec.id) problems.push(`manifest ${rec.manifestDigest} names config ${m.config.digest}, the record ${rec.id}`);
      for (const chain of chainIds(c.rootfs.diff_ids)) if (!store.snapshots.has(chain)) problems.push(`missing snapshot ${chain}`);
    } catch (err) {
      problems.push(String(err));
    }
  }
  const list = (d: string) => (existsSync(d) ? readdirSync(d) : []);
  for (const n of list(paths.ingestDir)) problems.push(`leftover ingest ${n}`);
  for (const n of list(paths.snapshotsDir)) if (n.startsWith('.tmp-')) problems.push(`leftover snapshot temp ${n}`);
  for (const n of list(paths.root)) if (n.includes('.tmp-')) problems.push(`leftover temp file ${n}`);
  return problems;
}
