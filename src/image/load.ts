// `load`: read a docker-save tarball (manifest.json, old or new layout) or an OCI image
// layout archive (index.json + blobs/, as `skopeo copy … oci-archive:` and `podman save
// --format oci-archive` write) into the store. Every blob is verified against its digest
// and every layer against its diff ID before the images become visible.
import { describeSchemaError } from '../state/schema-error.js';
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { MinidockError, invalid } from '../errors.js';
import { chainIds } from './digest.js';
import { decompressed, sniffCompression } from './compression.js';
import {
  ImageConfigSchema,
  IndexSchema,
  INDEX_TYPES,
  ManifestSchema,
  MediaType,
  hostPlatform,
  type Descriptor,
  type ImageConfig,
  type Manifest,
} from './oci.js';
import { parseReference } from './reference.js';
import type { Ingest } from './store/blobs.js';
import type { ImageRecord, ImageStore, NewImage } from './store/store.js';
import { unpackVerified, verifyDiffId } from './layers.js';

const SMALL_LIMIT = 16 << 20;

function fileHead(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

interface Archive {
  /** Path in the tarball → digest of its content, for every regular file (and symlinks resolved). */
  files: Map<string, string>;
  /** Small files kept in memory by path (manifest.json, index.json, repositories, *.json). */
  small: Map<string, Buffer>;
}

async function readArchive(input: Readable, ingest: Ingest): Promise<Archive> {
  const files = new Map<string, string>();
  const small = new Map<string, Buffer>();
  const links = new Map<string, string>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
    input.on('error', reject);
  });
  extract.on('entry', (header, stream, next) => {
    const name = header.name.replace(/^\.\//, '');
    const fail = (e: unknown) => extract.destroy(e as Error);
    if (header.type === 'symlink' && header.linkname) {
      links.set(name, header.linkname);
      stream.resume();
      stream.on('end', next);
      return;
    }
    if (header.type !== 'file' && header.type !== 'contiguous-file') {
      stream.resume();
      stream.on('end', next);
      return;
    }
    const blob = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(name);
    if (!blob && (header.size ?? 0) <= SMALL_LIMIT && !name.endsWith('.tar')) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        small.set(name, Buffer.concat(chunks));
        ingest
          .writeBuffer(Buffer.concat(chunks))
          .then((w) => {
            files.set(name, w.digest);
            next();
          })
          .catch(fail);
      });
      stream.on('error', fail);
      return;
    }
    ingest
      .writeStream(stream as unknown as Readable, blob ? `sha256:${blob[1]}` : undefined)
      .then((w) => {
        files.set(name, w.digest);
        next();
      })
      .catch(fail);
  });
  input.pipe(extract);
  await done;
  // docker save (legacy layout) links identical layers: a/layer.tar -> ../b/layer.tar
  for (const [name, target] of links) {
    const dir = name.split('/').slice(0, -1);
    const parts = [...dir];
    for (const p of target.split('/')) {
      if (p === '..') parts.pop();
      else if (p !== '.' && p !== '') parts.push(p);
    }
    const digest = files.get(parts.join('/'));
    if (digest) files.set(name, digest);
  }
  return { files, small };
}

function parseJson(buf: Buffer | undefined, what: string): unknown {
  if (!buf) return undefined;
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw invalid(`${what} in the archive is not valid JSON: ${(e as Error).message}`);
  }
}

interface Candidate {
  manifest: Manifest;
  manifestDesc?: { digest: string; mediaType: string; size: number };
  names: string[];
}

async function blobText(store: ImageStore, ingest: Ingest, digest: string): Promise<Buffer> {
  const p = ingest.pathOf(digest);
  if (p) return readFileSync(p);
  return store.blobs.read(digest);
}

function normaliseName(name: string | undefined): string | undefined {
  // A bare OCI ref.name such as "latest" is only a tag: without a repository it names nothing.
  if (!name || !/[:/]/.test(name)) return undefined;
  try {
    const r = parseReference(name).withDefaultTag();
    return r.digest ? undefined : r.toString();
  } catch {
    return undefined;
  }
}

/** Manifests named by an OCI index.json (platform indexes resolved to this host's platform). */
async function fromOciIndex(store: ImageStore, ingest: Ingest, indexJson: unknown): Promise<Candidate[]> {
  const parsed = IndexSchema.safeParse(indexJson);
  if (!parsed.success) throw invalid(`index.json in the archive is not an OCI index: ${describeSchemaError(parsed.error)}`);
  const out: Candidate[] = [];
  const platform = hostPlatform();
  const visit = async (d: Descriptor, names: string[]): Promise<void> => {
    const data = await blobText(store, ingest, d.digest);
    if (INDEX_TYPES.includes(d.mediaType)) {
      const nested = IndexSchema.parse(JSON.parse(data.toString('utf8')));
      const pick =
        nested.manifests.find((m) => m.platform?.os === platform.os && m.platform?.architecture === platform.architecture) ??
        nested.manifests.find((m) => !m.platform);
      if (!pick) throw invalid(`no image for ${platform.os}/${platform.architecture} in index ${d.digest}`);
      return visit(pick, names);
    }
    const m = ManifestSchema.safeParse(JSON.parse(data.toString('utf8')));
    if (!m.success) throw invalid(`manifest ${d.digest} in the archive is invalid: ${describeSchemaError(m.error)}`);
    out.push({ manifest: m.data, manifestDesc: { digest: d.digest, mediaType: d.mediaType, size: d.size }, names });
  };
  for (const d of parsed.data.manifests) {
    const a = d.annotations ?? {};
    const name = normaliseName(a['io.containerd.image.name']) ?? normaliseName(a['org.opencontainers.image.ref.name']);
    await visit(d, name ? [name] : []);
  }
  return out;
}

/** Images described by docker's manifest.json (config and layer files named by path). */
function fromDockerManifest(archive: Archive, manifestJson: unknown): Candidate[] {
  if (!Array.isArray(manifestJson)) throw invalid('manifest.json in the archive is not a list');
  return manifestJson.map((e: { Config?: string; RepoTags?: string[] | null; Layers?: string[] }) => {
    const digestOf = (p: string | undefined) => {
      const d = p ? archive.files.get(p.replace(/^\.\//, '')) : undefined;
      if (!d) throw invalid(`manifest.json names ${JSON.stringify(p)}, which is not in the archive`);
      return d;
    };
    const config = digestOf(e.Config);
    const layers = (e.Layers ?? []).map((p) => ({ mediaType: MediaType.ociLayer, digest: digestOf(p), size: 0 }));
    return {
      manifest: { schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: MediaType.ociConfig, digest: config, size: 0 }, layers },
      names: (e.RepoTags ?? []).map((t) => normaliseName(t)).filter((t): t is string => !!t),
    } satisfies Candidate;
  });
}

export interface LoadResult {
  images: { rec: ImageRecord; names: string[] }[];
}

export async function loadArchive(store: ImageStore, input: Readable): Promise<LoadResult> {
  const ingest = store.blobs.newIngest();
  const pending: NewImage[] = [];
  try {
    const { stream } = await decompressed(store.engine.host, input);
    const archive = await readArchive(stream, ingest);
    const indexJson = parseJson(archive.small.get('index.json'), 'index.json');
    const manifestJson = parseJson(archive.small.get('manifest.json'), 'manifest.json');
    let candidates: Candidate[];
    if (indexJson !== undefined) {
      candidates = await fromOciIndex(store, ingest, indexJson);
      // docker's own save names its images in manifest.json; use those names when index.json has none.
      if (Array.isArray(manifestJson)) {
        const docker = fromDockerManifest(archive, manifestJson);
        for (const c of candidates) {
          if (c.names.length) continue;
          const twin = docker.find((d) => d.manifest.config.digest === c.manifest.config.digest);
          if (twin) c.names = twin.names;
        }
      }
    } else if (manifestJson !== undefined) {
      candidates = fromDockerManifest(archive, manifestJson);
    } else {
      throw invalid('not an image archive: it has neither manifest.json (docker save) nor index.json (OCI layout)', {
        hint: 'use `minidock import` for a plain filesystem tarball',
      });
    }
    if (candidates.length === 0) throw invalid('the archive holds no images');

    const unpacked = new Set<string>();
    const verified = new Set<string>(); // "<blob digest> <diff ID>" pairs checked already
    for (const c of candidates) {
      const cfgBytes = await blobText(store, ingest, c.manifest.config.digest);
      const cfg = ImageConfigSchema.safeParse(parseJson(cfgBytes, `config ${c.manifest.config.digest}`));
      if (!cfg.success) throw invalid(`image config ${c.manifest.config.digest} is invalid: ${describeSchemaError(cfg.error)}`);
      const config: ImageConfig = cfg.data;
      if (config.rootfs.diff_ids.length !== c.manifest.layers.length) {
        throw invalid(`image ${c.manifest.config.digest} names ${config.rootfs.diff_ids.length} diff IDs but ${c.manifest.layers.length} layers`);
      }
      const chains = chainIds(config.rootfs.diff_ids);
      const layers = [];
      for (let i = 0; i < c.manifest.layers.length; i++) {
        const d = c.manifest.layers[i];
        const diffId = config.rootfs.diff_ids[i];
        const path = ingest.pathOf(d.digest);
        if (!c.manifestDesc && path) {
          // A manifest we construct must say what the layer file really is.
          d.mediaType = sniffCompression(fileHead(path, 6)) === 'gzip' ? MediaType.ociLayerGzip : MediaType.ociLayer;
        }
        let snapshot;
        const src = () => (path ? createReadStream(path, { highWaterMark: 1 << 20 }) : store.blobs.open(d.digest));
        if (!store.snapshots.has(chains[i]) && !unpacked.has(chains[i])) {
          snapshot = await unpackVerified(store, src(), diffId, `layer ${d.digest}`);
          unpacked.add(chains[i]);
        } else if (d.digest !== diffId && !verified.has(`${d.digest} ${diffId}`)) {
          // Already unpacked: still make sure this archive's blob is what the config claims,
          // or the stored manifest would point at a layer that is not the image's.
          await verifyDiffId(store, src(), diffId);
        }
        verified.add(`${d.digest} ${diffId}`);
        layers.push({ pending: snapshot, diffId, descriptor: d });
      }
      const configSize = cfgBytes.length;
      if (!c.manifestDesc) {
        c.manifest.config.size = configSize;
        for (const l of layers) {
          const p = ingest.pathOf(l.descriptor.digest);
          l.descriptor.size = p ? statSync(p).size : store.blobs.size(l.descriptor.digest);
        }
      }
      pending.push({ config, configBlob: { digest: c.manifest.config.digest, size: configSize }, layers, manifest: c.manifestDesc, refs: c.names });
    }
    const recs = await store.commit(ingest, pending);
    return { images: recs.map((rec, i) => ({ rec, names: pending[i].refs ?? [] })) };
  } catch (err) {
    ingest.abort();
    for (const img of pending) for (const l of img.layers) if (l.pending) store.snapshots.discard(l.pending);
    if (err instanceof MinidockError) throw err;
    throw new MinidockError(`loading the archive: ${(err as Error).message}`, { kind: 'invalid', cause: err });
  }
}
