// The build cache is the image store itself (docker's legacy-builder model): a step is a hit
// when the current image has a child committed with the same cache key. The catalogue is read
// once per build and kept up to date with what the build commits, so a fully cached rebuild
// costs one read of index.json plus the steps' configs.
import type { ImageRecord, ImageStore } from '../store/store.js';

export class BuildCache {
  private readonly records: ImageRecord[];

  constructor(private readonly store: ImageStore) {
    this.records = store.list();
  }

  /** The newest image whose parent is `parent` (undefined: a scratch stage) and key is `key`. */
  find(parent: string | undefined, key: string): ImageRecord | undefined {
    for (let i = this.records.length - 1; i >= 0; i--) {
      const r = this.records[i];
      if (r.cacheKey === key && r.parent === parent && this.store.blobs.has(r.id)) return r;
    }
    return undefined;
  }

  /** An image by name or ID, as FROM and COPY --from name them. */
  image(nameOrId: string): ImageRecord | undefined {
    return this.store.find(nameOrId);
  }

  add(rec: ImageRecord): void {
    const i = this.records.findIndex((r) => r.manifestDigest === rec.manifestDigest);
    if (i >= 0) this.records.splice(i, 1);
    this.records.push(rec);
  }
}
