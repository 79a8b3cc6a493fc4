// The image catalogue is the OCI layout's own index.json: one descriptor per (manifest, tag)
// pair, or one without a tag for an untagged image. Tags live in the
// `org.opencontainers.image.ref.name` annotation as full references
// (docker.io/library/busybox:latest); minidock's own facts about an image (its ID, size,
// build cache key…) ride along as io.minidock.* annotations so that `images` reads one file.
import { describeSchemaError } from '../../state/schema-error.js';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MinidockError, errnoCode } from '../../errors.js';
import type { Paths } from '../../paths.js';
import { writeJsonAtomic } from '../../state/atomic.js';
import { processStartTime } from '../../state/lock.js';
import { Annotation, IndexSchema, MediaType, type Descriptor, type ImageIndex } from '../oci.js';

export interface ImageRecord {
  /** Config digest: docker's image ID. */
  id: string;
  manifestDigest: string;
  manifestMediaType: string;
  manifestSize: number;
  /** Full references, e.g. docker.io/library/busybox:latest, in the order they were added. */
  refs: string[];
  created?: string;
  /** Unpacked bytes of all layers. */
  size: number;
  intermediate: boolean;
  parent?: string;
  cacheKey?: string;
  lastTagTime?: string;
  repoDigests: string[];
}

export function emptyIndex(): ImageIndex {
  return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
}

export function readIndex(paths: Paths): ImageIndex {
  let text: string;
  try {
    text = readFileSync(paths.index, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return emptyIndex();
    throw err;
  }
  const parsed = IndexSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new MinidockError(`${paths.index} is not a valid OCI index: ${describeSchemaError(parsed.error)}`, { kind: 'corrupt' });
  }
  return parsed.data;
}

export function writeIndex(paths: Paths, index: ImageIndex): void {
  // The root is an OCI image layout only with its `oci-layout` marker: skopeo, podman and
  // umoci refuse a directory without it (`skopeo copy oci:$ROOT:docker.io/library/x:latest …`).
  if (!existsSync(paths.ociLayout)) writeJsonAtomic(paths.ociLayout, { imageLayoutVersion: '1.0.0' }, { durable: true });
  writeJsonAtomic(paths.index, index, { durable: true });
}

/**
 * `index.json.tmp-<pid>-…` files of writers that died between write and rename
 * (writeFileAtomic names its temp files so). Call with the store lock held.
 */
export function removeStaleIndexTemps(paths: Paths): void {
  const prefix = `${basename(paths.index)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dirname(paths.index));
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const pid = Number(n.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || processStartTime(pid) === undefined) rmSync(join(dirname(paths.index), n), { force: true });
  }
}

/** Group index entries into images (one per manifest digest). */
export function recordsFromIndex(index: ImageIndex): ImageRecord[] {
  const byManifest = new Map<string, ImageRecord>();
  for (const d of index.manifests) {
    const a = d.annotations ?? {};
    let rec = byManifest.get(d.digest);
    if (!rec) {
      rec = {
        id: a[Annotation.imageId] ?? '',
        manifestDigest: d.digest,
        manifestMediaType: d.mediaType,
        manifestSize: d.size,
        refs: [],
        created: a[Annotation.created],
        size: Number(a[Annotation.size] ?? 0),
        intermediate: a[Annotation.intermediate] === 'true',
        parent: a[Annotation.parent],
        cacheKey: a[Annotation.cacheKey],
        lastTagTime: a[Annotation.lastTagTime],
        repoDigests: a[Annotation.repoDigest] ? a[Annotation.repoDigest].split(',') : [],
      };
      byManifest.set(d.digest, rec);
    }
    const ref = a[Annotation.refName];
    if (ref && !rec.refs.includes(ref)) rec.refs.push(ref);
  }
  return [...byManifest.values()];
}

function annotationsOf(rec: ImageRecord): Record<string, string> {
  const a: Record<string, string> = { [Annotation.imageId]: rec.id, [Annotation.size]: String(rec.size) };
  if (rec.created) a[Annotation.created] = rec.created;
  if (rec.intermediate) a[Annotation.intermediate] = 'true';
  if (rec.parent) a[Annotation.parent] = rec.parent;
  if (rec.cacheKey) a[Annotation.cacheKey] = rec.cacheKey;
  if (rec.lastTagTime) a[Annotation.lastTagTime] = rec.lastTagTime;
  if (rec.repoDigests.length) a[Annotation.repoDigest] = rec.repoDigests.join(',');
  return a;
}

export function indexFromRecords(records: readonly ImageRecord[]): ImageIndex {
  const manifests: Descriptor[] = [];
  for (const rec of records) {
    const base = { mediaType: rec.manifestMediaType, digest: rec.manifestDigest, size: rec.manifestSize };
    const annotations = annotationsOf(rec);
    if (rec.refs.length === 0) manifests.push({ ...base, annotations });
    for (const ref of rec.refs) manifests.push({ ...base, annotations: { ...annotations, [Annotation.refName]: ref } });
  }
  return { ...emptyIndex(), manifests };
}
