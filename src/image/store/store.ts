// The image store: catalogue (index.json) + blobs + snapshots, and the operations that
// change them together under one lock: commit a new image, tag, untag, delete, collect
// garbage. Readers never lock: every file they read is replaced atomically.
import { createReadStream } from 'node:fs';
import { describeSchemaError } from '../../state/schema-error.js';
import type { Engine } from '../../engine.js';
import { MinidockError, notFound } from '../../errors.js';
import { withLock } from '../../state/lock.js';
import { chainIds } from '../digest.js';
import { unpackVerified } from '../layers.js';
import {
  ImageConfigSchema,
  ManifestSchema,
  MediaType,
  type Descriptor,
  type ImageConfig,
  type Manifest,
} from '../oci.js';
import { BlobStore, type Ingest } from './blobs.js';
import { indexFromRecords, readIndex, recordsFromIndex, removeStaleIndexTemps, writeIndex, type ImageRecord } from './catalog.js';
import { Snapshots, type PendingSnapshot } from './snapshots.js';
import { matchImage, resolveImage } from './resolve.js';

export type { ImageRecord };

export interface NewLayer {
  /** Unpacked already (import, build) — committed with the image. */
  pending?: PendingSnapshot;
  descriptor: Descriptor;
  diffId: string;
}

export interface NewImage {
  config: ImageConfig;
  /** The config's exact bytes are already ingested (load, pull): keep them, do not re-serialise. */
  configBlob?: { digest: string; size: number };
  layers: NewLayer[];
  /** A manifest already ingested (load, pull); otherwise an OCI manifest is written. */
  manifest?: { digest: string; mediaType: string; size: number };
  refs?: string[];
  intermediate?: boolean;
  parent?: string;
  cacheKey?: string;
  repoDigests?: string[];
}
interface RestoredSnapshot {
  pending: PendingSnapshot;
  chainId: string;
  diffId: string;
}

export class ImageStore {
  readonly blobs: BlobStore;
  readonly snapshots: Snapshots;

  constructor(readonly engine: Engine) {
    this.blobs = new BlobStore(engine.paths);
    this.snapshots = new Snapshots(engine);
  }

  list(): ImageRecord[] {
    return recordsFromIndex(readIndex(this.engine.paths));
  }

  /**
   * An image by name[:tag], name@digest, ID or unique ID prefix: docker's lookup order. Throws
   * docker's "No such image: x:latest", or the reference error for an invalid name.
   */
  resolve(nameOrId: string): ImageRecord {
    return resolveImage(this.list(), nameOrId);
  }

  /** Like resolve, but undefined when nothing matches (an invalid name matches nothing). */
  find(nameOrId: string): ImageRecord | undefined {
    return matchImage(this.list(), nameOrId);
  }

  async manifest(rec: Pick<ImageRecord, 'manifestDigest'>): Promise<Manifest> {
    const parsed = ManifestSchema.safeParse(await this.blobs.readJson(rec.manifestDigest));
    if (!parsed.success) throw new MinidockError(`manifest ${rec.manifestDigest} is invalid: ${describeSchemaError(parsed.error)}`, { kind: 'corrupt' });
    return parsed.data;
  }

  async config(rec: Pick<ImageRecord, 'id'>): Promise<ImageConfig> {
    const parsed = ImageConfigSchema.safeParse(await this.blobs.readJson(rec.id));
    if (!parsed.success) throw new MinidockError(`image config ${rec.id} is invalid: ${describeSchemaError(parsed.error)}`, { kind: 'corrupt' });
    return parsed.data;
  }

  lock<T>(fn: () => Promise<T> | T): Promise<T> {
    return withLock(this.engine.paths.lock('store'), fn, { what: 'image store' });
  }

  /**
   * Write configs and manifests, then, under the lock, move blobs and snapshots into place and
   * add the images to the catalogue. On any failure none of them is visible.
   */
  async commit(ingest: Ingest, images: NewImage[]): Promise<ImageRecord[]> {
    const restored: RestoredSnapshot[] = [];
    try {
      const prepared: { img: NewImage; id: string; manifest: { digest: string; mediaType: string; size: number }; chains: string[] }[] = [];
      for (const img of images) {
        const cfg = img.configBlob ?? (await ingest.writeBuffer(JSON.stringify(img.config)));
        let manifest = img.manifest;
        if (!manifest) {
          const m: Manifest = {
            schemaVersion: 2,
            mediaType: MediaType.ociManifest,
            config: { mediaType: MediaType.ociConfig, digest: cfg.digest, size: cfg.size },
            layers: img.layers.map((l) => l.descriptor),
          };
          const w = await ingest.writeBuffer(JSON.stringify(m));
          manifest = { digest: w.digest, mediaType: MediaType.ociManifest, size: w.size };
        }
        prepared.push({ img, id: cfg.digest, manifest, chains: chainIds(img.layers.map((l) => l.diffId)) });
      }
      return await this.lock(async () => {
        this.removeStaleTemps();
        const needed = [...prepared.flatMap((p) => [p.id, p.manifest.digest]), ...images.flatMap((i) => i.layers.map((l) => l.descriptor.digest))];
        for (const d of needed) {
          if (!ingest.has(d) && !this.blobs.has(d)) {
            throw new MinidockError(`blob ${d} vanished before the image was committed`, { kind: 'internal' });
          }
        }
        restored.push(...(await this.restoreMissingSnapshots(ingest, prepared)));
        ingest.commit();
        for (const p of prepared) p.img.layers.forEach((l, i) => l.pending && this.snapshots.commit(l.pending, p.chains[i], l.diffId));
        for (const r of restored.splice(0)) this.snapshots.commit(r.pending, r.chainId, r.diffId);
        const now = new Date().toISOString();
        const records = this.list();
        const out: ImageRecord[] = [];
        for (const p of prepared) {
          const refs = p.img.refs ?? [];
          for (const r of records) r.refs = r.refs.filter((x) => !refs.includes(x));
          // One image per ID, as docker keys its store: the same config under another manifest
          // (a re-compressed copy, a docker-save rebuilt manifest) only adds names to it.
          let rec = records.find((r) => r.manifestDigest === p.manifest.digest) ?? records.find((r) => r.id === p.id);
          if (rec) {
            rec.refs.push(...refs);
            if (!p.img.intermediate) rec.intermediate = false;
            rec.parent ??= p.img.parent;
            rec.cacheKey ??= p.img.cacheKey;
            for (const d of p.img.repoDigests ?? []) if (!rec.repoDigests.includes(d)) rec.repoDigests.push(d);
          } else {
            rec = {
              id: p.id,
              manifestDigest: p.manifest.digest,
              manifestMediaType: p.manifest.mediaType,
              manifestSize: p.manifest.size,
              refs: [...refs],
              created: p.img.config.created,
              size: p.chains.reduce((sum, c) => sum + this.snapshots.size(c), 0),
              intermediate: p.img.intermediate ?? false,
              parent: p.img.parent,
              cacheKey: p.img.cacheKey,
              repoDigests: [...(p.img.repoDigests ?? [])],
            };
            records.push(rec);
          }
          if (refs.length) rec.lastTagTime = now;
          out.push(rec);
        }
        writeIndex(this.engine.paths, indexFromRecords(records));
        return out;
      });
    } catch (err) {
      ingest.abort();
      for (const img of images) for (const l of img.layers) if (l.pending) this.snapshots.discard(l.pending);
      for (const r of restored) this.snapshots.discard(r.pending);
      throw err;
    }
  }

  /**
   * A layer that was already unpacked when the caller looked (load, build) may have been
   * collected by a concurrent rmi since: unpack it again from its blob before the image that
   * needs it becomes visible. Call with the lock held.
   */
  private async restoreMissingSnapshots(ingest: Ingest, prepared: { img: NewImage; chains: string[] }[]): Promise<RestoredSnapshot[]> {
    const covered = new Set(prepared.flatMap((p) => p.img.layers.flatMap((l, i) => (l.pending ? [p.chains[i]] : []))));
    const out: RestoredSnapshot[] = [];
    try {
      for (const p of prepared) {
        for (const [i, l] of p.img.layers.entries()) {
          const chainId = p.chains[i];
          if (covered.has(chainId) || this.snapshots.has(chainId)) continue;
          const path = ingest.pathOf(l.descriptor.digest);
          const src = path ? createReadStream(path, { highWaterMark: 1 << 20 }) : this.blobs.open(l.descriptor.digest);
          out.push({ pending: await unpackVerified(this, src, l.diffId, `layer ${l.descriptor.digest}`), chainId, diffId: l.diffId });
          covered.add(chainId);
        }
      }
    } catch (err) {
      for (const r of out) this.snapshots.discard(r.pending);
      throw err;
    }
    return out;
  }

  /** Leftovers of commands that died (kill -9, power loss): ingest dirs, unpack temp dirs, index temp files. */
  removeStaleTemps(): void {
    this.blobs.removeStaleIngests();
    this.snapshots.removeStale();
    removeStaleIndexTemps(this.engine.paths);
  }

  /** Point `ref` (a full reference) at an image; the image that had it keeps its other tags or goes dangling. */
  async tag(imageId: string, ref: string): Promise<void> {
    await this.lock(() => {
      const records = this.list();
      const target = records.find((r) => r.id === imageId);
      if (!target) throw notFound(`No such image: ${imageId}`);
      for (const r of records) r.refs = r.refs.filter((x) => x !== ref);
      target.refs.push(ref);
      target.intermediate = false;
      target.lastTagTime = new Date().toISOString();
      writeIndex(this.engine.paths, indexFromRecords(records));
    });
  }

  /** Replace the catalogue under the lock with what `edit` makes of it. */
  async edit<T>(edit: (records: ImageRecord[]) => T): Promise<T> {
    return this.lock(() => {
      const records = this.list();
      const result = edit(records);
      writeIndex(this.engine.paths, indexFromRecords(records));
      return result;
    });
  }

  /** Chain IDs of an image's layers, from its config. */
  async chainIdsOf(rec: Pick<ImageRecord, 'id'>): Promise<string[]> {
    return chainIds((await this.config(rec)).rootfs.diff_ids);
  }
}

