// Garbage collection: delete blobs and snapshots that no image in the catalogue reaches.
// Call with the store lock held; blobs still in ingest/ are invisible here by design.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { chainIds } from '../digest.js';
import type { ImageStore } from './store.js';

export interface GcResult {
  blobs: string[];
  snapshots: string[];
  bytes: number;
}

/** `inUse`: snapshots that containers (including a build's step containers) are mounted on. */
export async function collectGarbage(store: ImageStore, inUse: Iterable<string> = []): Promise<GcResult> {
  const keepBlobs = new Set<string>();
  const keepChains = new Set<string>(inUse);
  for (const rec of store.list()) {
    keepBlobs.add(rec.manifestDigest);
    keepBlobs.add(rec.id);
    try {
      const manifest = await store.manifest(rec);
      for (const l of manifest.layers) keepBlobs.add(l.digest);
      const config = await store.config(rec);
      for (const c of chainIds(config.rootfs.diff_ids)) keepChains.add(c);
    } catch {
      // A corrupt image keeps what it names in the catalogue; its own removal cleans it.
    }
  }
  const result: GcResult = { blobs: [], snapshots: [], bytes: 0 };
  let hexes: string[] = [];
  try {
    hexes = readdirSync(store.engine.paths.blobsDir);
  } catch {
    /* no blobs yet */
  }
  for (const hex of hexes) {
    const digest = `sha256:${hex}`;
    if (!/^[a-f0-9]{64}$/.test(hex) || keepBlobs.has(digest)) continue;
    const path = store.engine.paths.blob(digest);
    result.bytes += statSync(path).size;
    rmSync(path, { force: true });
    result.blobs.push(digest);
  }
  for (const chain of store.snapshots.list()) {
    if (keepChains.has(chain)) continue;
    result.bytes += store.snapshots.size(chain);
    store.snapshots.remove(chain);
    result.snapshots.push(chain);
  }
  store.removeStaleTemps();
  return result;
}

