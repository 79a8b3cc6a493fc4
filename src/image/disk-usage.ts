// `system df`: how much disk the images (unique layers, shared ones counted once), the
// containers' writable layers and the build cache take, and how much of it is reclaimable.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chainIds } from './digest.js';
import type { ImageRecord, ImageStore } from './store/store.js';

export interface UsageLine {
  type: 'Images' | 'Containers' | 'Local Volumes' | 'Build Cache';
  total: number;
  active: number;
  size: number;
  reclaimable: number;
}

/** Bytes of regular files below `dir` (hard links counted once), without following symlinks. */
export function directorySize(dir: string): number {
  let total = 0;
  const seen = new Set<string>();
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      let s;
      try {
        s = lstatSync(p);
      } catch {
        continue;
      }
      if (s.isDirectory()) walk(p);
      else if (s.isFile()) {
        const key = `${s.dev}:${s.ino}`;
        if (s.nlink > 1 && seen.has(key)) continue;
        seen.add(key);
        total += s.size;
      }
    }
  };
  walk(dir);
  return total;
}

export async function imageDiskUsage(store: ImageStore, activeImageIds: Set<string>): Promise<{ images: UsageLine; cache: UsageLine; perImage: Map<string, { shared: number; unique: number }> }> {
  const records = store.list();
  const chainsOf = new Map<ImageRecord, string[]>();
  for (const r of records) {
    try {
      chainsOf.set(r, chainIds((await store.config(r)).rootfs.diff_ids));
    } catch {
      chainsOf.set(r, []);
    }
  }
  const users = new Map<string, number>();
  for (const chains of chainsOf.values()) for (const c of new Set(chains)) users.set(c, (users.get(c) ?? 0) + 1);
  const sizeOf = (c: string) => store.snapshots.size(c);
  const sum = (chains: Iterable<string>) => [...new Set(chains)].reduce((s, c) => s + sizeOf(c), 0);
  const cacheRecs = records.filter((r) => r.intermediate && r.refs.length === 0);
  const imageRecs = records.filter((r) => !cacheRecs.includes(r));
  const activeChains = new Set(imageRecs.filter((r) => activeImageIds.has(r.id)).flatMap((r) => chainsOf.get(r)!));
  const imageChains = new Set(imageRecs.flatMap((r) => chainsOf.get(r)!));
  const cacheOnly = new Set(cacheRecs.flatMap((r) => chainsOf.get(r)!).filter((c) => !imageChains.has(c)));
  const perImage = new Map<string, { shared: number; unique: number }>();
  for (const r of records) {
    const chains = chainsOf.get(r)!;
    perImage.set(r.id, { shared: sum(chains.filter((c) => users.get(c)! > 1)), unique: sum(chains.filter((c) => users.get(c) === 1)) });
  }
  return {
    images: {
      type: 'Images',
      total: imageRecs.length,
      active: imageRecs.filter((r) => activeImageIds.has(r.id)).length,
      size: sum(imageChains),
      reclaimable: sum([...imageChains].filter((c) => !activeChains.has(c))),
    },
    cache: { type: 'Build Cache', total: cacheRecs.length, active: 0, size: sum(cacheOnly), reclaimable: sum(cacheOnly) },
    perImage,
  };
}
