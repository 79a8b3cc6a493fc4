// `load` reads docker-save archives (docker 25+'s OCI-based layout and the legacy one, whose
// shared layers are symlinks) and OCI image layouts (a nested index resolved to this host's
// platform), verifies every blob and diff ID, and leaves the store unchanged on any failure.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { processStartTime } from '../../../src/state/lock.js';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MinidockError } from '../../../src/errors.js';
import { loadArchive } from '../../../src/image/load.js';
import { hostPlatform, MediaType } from '../../../src/image/oci.js';
import { saveImages } from '../../../src/image/save.js';
import { chainIds } from '../../../src/image/digest.js';
import { addImage, craftTar, layerTar, sha256, storeProblems, tempStore, type CraftedEntry, type TempStore } from './helpers.js';

let t: TempStore;
let other: TempStore;
beforeEach(() => {
  t = tempStore();
  other = tempStore();
});
afterEach(() => {
  t.cleanup();
  other.cleanup();
});

const hex = (d: string) => d.slice('sha256:'.length);

function configJson(diffIds: string[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...hostPlatform(), created: '2024-01-01T00:00:00Z', config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: diffIds }, ...extra });
}

async function load(archive: Buffer) {
  return loadArchive(t.store, Readable.from([archive]));
}

async function loadError(archive: Buffer): Promise<MinidockError> {
  const err = await load(archive).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MinidockError);
  return err as MinidockError;
}

/** Nothing of a failed load is left: no image, blob, snapshot or temp dir. */
function expectUntouched(): void {
  const { paths } = t.store.engine;
  expect(t.store.list()).toEqual([]);
  for (const d of [paths.blobsDir, paths.ingestDir, paths.snapshotsDir]) expect(existsSync(d) ? readdirSync(d) : []).toEqual([]);
}

const loaded = (r: Awaited<ReturnType<typeof load>>) => r.images.map((i) => [i.rec.id, i.names]);

describe('OCI image layout', () => {
  async function ociArchive(opts: { compress?: boolean; nested?: boolean; name?: Record<string, string>; tamperLayer?: boolean } = {}) {
    const layer = await layerTar({ 'etc/hello': 'hello' });
    const diffId = sha256(layer);
    const layerBlob = opts.compress ? gzipSync(layer) : layer;
    const stored = opts.tamperLayer ? await layerTar({ 'etc/hello': 'HELLO' }) : layerBlob;
    const config = configJson([diffId]);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: sha256(config), size: config.length },
      layers: [{ mediaType: opts.compress ? MediaType.ociLayerGzip : MediaType.ociLayer, digest: sha256(layerBlob), size: layerBlob.length }],
    });
    const entries: CraftedEntry[] = [
      { name: `blobs/sha256/${hex(sha256(config))}`, content: config },
      { name: `blobs/sha256/${hex(sha256(layerBlob))}`, content: stored },
      { name: `blobs/sha256/${hex(sha256(manifest))}`, content: manifest },
    ];
    let top: { mediaType: string; digest: string; size: number } = { mediaType: MediaType.ociManifest, digest: sha256(manifest), size: manifest.length };
    if (opts.nested) {
      // A platform index: another architecture first, then this host's manifest.
      const foreign = JSON.stringify({ schemaVersion: 2, config: { mediaType: MediaType.ociConfig, digest: sha256('x'), size: 1 }, layers: [] });
      const index = JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [
          { mediaType: MediaType.ociManifest, digest: sha256(foreign), size: foreign.length, platform: { os: 'linux', architecture: 'not-this-one' } },
          { ...top, platform: hostPlatform() },
        ],
      });
      entries.push({ name: `blobs/sha256/${hex(sha256(foreign))}`, content: foreign }, { name: `blobs/sha256/${hex(sha256(index))}`, content: index });
      top = { mediaType: MediaType.ociIndex, digest: sha256(index), size: index.length };
    }
    entries.push(
      { name: 'index.json', content: JSON.stringify({ schemaVersion: 2, manifests: [{ ...top, annotations: opts.name }] }) },
      { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    );
    return { archive: await craftTar(entries), configDigest: sha256(config), manifestDigest: sha256(manifest), diffId };
  }

  it('loads a plain layout, named by io.containerd.image.name', async () => {
    const { archive, configDigest, manifestDigest, diffId } = await ociArchive({ name: { 'io.containerd.image.name': 'docker.io/library/oci:1' } });
    const r = await load(archive);
    expect(loaded(r)).toEqual([[configDigest, ['docker.io/library/oci:1']]]);
    expect(r.images[0].rec.manifestDigest).toBe(manifestDigest);
    expect(t.store.snapshots.has(diffId)).toBe(true);
    expect(await storeProblems(t.store)).toEqual([]);
  });

  it('a full reference in ref.name names the image; a bare tag (skopeo’s convention) names nothing', async () => {
    const full = await ociArchive({ name: { 'org.opencontainers.image.ref.name': 'localhost:5000/a/b:2' } });
    expect(loaded(await load(full.archive))[0][1]).toEqual(['localhost:5000/a/b:2']);
    const bare = await ociArchive({ name: { 'org.opencontainers.image.ref.name': 'latest' } });
    expect((await loadArchive(other.store, Readable.from([bare.archive]))).images[0].names).toEqual([]);
  });

  it('resolves a nested index to this platform’s manifest', async () => {
    const { archive, configDigest, manifestDigest } = await ociArchive({ nested: true, name: { 'io.containerd.image.name': 'docker.io/library/multi:1' } });
    const r = await load(archive);
    expect(loaded(r)).toEqual([[configDigest, ['docker.io/library/multi:1']]]);
    expect(r.images[0].rec.manifestDigest).toBe(manifestDigest);
  });

  it('gzip layers are unpacked and checked against the uncompressed diff ID', async () => {
    const { archive, diffId } = await ociArchive({ compress: true });
    await load(archive);
    expect(t.store.snapshots.has(diffId)).toBe(true);
    expect(await storeProblems(t.store)).toEqual([]);
  });

  it('a blob whose bytes are not its name is refused; the store is unchanged', async () => {
    const { archive } = await ociArchive({ tamperLayer: true });
    const err = await loadError(archive);
    expect(err.kind).toBe('corrupt');
    expect(err.message).toMatch(/^blob sha256:[a-f0-9]{64} is corrupted: its content hashes to sha256:/);
    expectUntouched();
  });
});

describe('docker save archives', () => {
  it('round trip: what save writes, load reads back with the same ID, names and layers', async () => {
    const base = await addImage(other.store, { layers: [{ 'etc/a': 'a' }] });
    const img = await addImage(other.store, { parent: base, layers: [{ 'etc/b': 'b' }], refs: ['docker.io/library/app:1'] });
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await saveImages(other.store, [{ rec: img, ref: 'docker.io/library/app:1' }], out);
    const r = await load(Buffer.concat(chunks));
    expect(loaded(r)).toEqual([[img.id, ['docker.io/library/app:1']]]);
    expect(r.images[0].rec.manifestDigest).toBe(img.manifestDigest);
    expect(await storeProblems(t.store)).toEqual([]);
    // A gzipped archive loads too (docker load takes .tar.gz).
    const again = await loadArchive(t.store, Readable.from([gzipSync(Buffer.concat(chunks))]));
    expect(loaded(again)).toEqual([[img.id, ['docker.io/library/app:1']]]);
    expect(t.store.list().length).toBe(1);
  });

  it('new layout without names in index.json: the names come from manifest.json', async () => {
    const layer = await layerTar({ f: '1' });
    const config = configJson([sha256(layer)]);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: sha256(config), size: config.length },
      layers: [{ mediaType: MediaType.ociLayer, digest: sha256(layer), size: layer.length }],
    });
    const archive = await craftTar([
      { name: 'blobs/', type: 'directory' },
      { name: 'blobs/sha256/', type: 'directory' },
      { name: `blobs/sha256/${hex(sha256(config))}`, content: config },
      { name: `blobs/sha256/${hex(sha256(layer))}`, content: layer },
      { name: `blobs/sha256/${hex(sha256(manifest))}`, content: manifest },
      { name: 'index.json', content: JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: MediaType.ociManifest, digest: sha256(manifest), size: manifest.length }] }) },
      { name: 'manifest.json', content: JSON.stringify([{ Config: `blobs/sha256/${hex(sha256(config))}`, RepoTags: ['named:2'], Layers: [`blobs/sha256/${hex(sha256(layer))}`] }]) },
      { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    ]);
    expect(loaded(await load(archive))).toEqual([[sha256(config), ['docker.io/library/named:2']]]);
  });

  /** docker's pre-25 layout: <id>/layer.tar per layer, <config hex>.json, manifest.json, repositories. */
  async function legacyArchive(tamper = false) {
    const l1 = await layerTar({ 'bin/one': '1' });
    const l2 = await layerTar({ 'bin/two': '2' });
    const cfgX = configJson([sha256(l1)], { comment: 'x' });
    const cfgY = configJson([sha256(l1), sha256(l2)], { comment: 'y' });
    const [x1, y1, y2] = ['a', 'b', 'c'].map((c) => c.repeat(64));
    const archive = await craftTar([
      { name: `${x1}/`, type: 'directory' },
      { name: `${x1}/VERSION`, content: '1.0' },
      { name: `${x1}/json`, content: '{}' },
      { name: `${x1}/layer.tar`, content: tamper ? await layerTar({ 'bin/one': 'evil' }) : l1 },
      { name: `${y1}/`, type: 'directory' },
      // The same layer in a second image is a symlink to the first one's file.
      { name: `${y1}/layer.tar`, type: 'symlink', linkname: `../${x1}/layer.tar` },
      { name: `${y2}/layer.tar`, content: l2 },
      { name: `${hex(sha256(cfgX))}.json`, content: cfgX },
      { name: `${hex(sha256(cfgY))}.json`, content: cfgY },
      {
        name: 'manifest.json',
        content: JSON.stringify([
          { Config: `${hex(sha256(cfgX))}.json`, RepoTags: ['legacy:x'], Layers: [`${x1}/layer.tar`] },
          { Config: `${hex(sha256(cfgY))}.json`, RepoTags: ['legacy:y', 'localhost:5000/legacy:y'], Layers: [`${y1}/layer.tar`, `${y2}/layer.tar`] },
        ]),
      },
      { name: 'repositories', content: JSON.stringify({ legacy: { x: x1, y: y2 } }) },
    ]);
    return { archive, x: sha256(cfgX), y: sha256(cfgY), chains: chainIds([sha256(l1), sha256(l2)]) };
  }

  it('legacy layout, with a symlinked layer', async () => {
    const { archive, x, y, chains } = await legacyArchive();
    const r = await load(archive);
    expect(loaded(r)).toEqual([
      [x, ['docker.io/library/legacy:x']],
      [y, ['docker.io/library/legacy:y', 'localhost:5000/legacy:y']],
    ]);
    for (const c of chains) expect(t.store.snapshots.has(c)).toBe(true);
    // The manifests minidock writes for them name the layers by the blobs' digests.
    const m = await t.store.manifest(r.images[1].rec);
    expect(m.layers.map((l) => l.mediaType)).toEqual([MediaType.ociLayer, MediaType.ociLayer]);
    expect(await storeProblems(t.store)).toEqual([]);
  });

  it('legacy layout with a layer that is not its diff ID: refused, store unchanged', async () => {
    const err = await loadError((await legacyArchive(true)).archive);
    expect(err.kind).toBe('corrupt');
    expectUntouched();
  });

  it('a layer already unpacked is still checked against the archive’s diff ID', async () => {
    // The snapshot for the layer exists (from an import); the archive's copy is tampered.
    const l1 = await layerTar({ 'bin/one': '1' });
    await addImage(t.store, { layers: [{ 'bin/one': '1' }], refs: ['docker.io/library/there:1'] });
    expect(t.store.snapshots.has(sha256(l1))).toBe(true);
    const before = t.store.list();
    const err = await loadError((await legacyArchive(true)).archive);
    expect(err.kind).toBe('corrupt');
    expect(t.store.list()).toEqual(before);
  });
});

describe('not an image archive', () => {
  it('a plain filesystem tarball: a clear error, the store unchanged', async () => {
    const err = await loadError(await layerTar({ 'etc/passwd': 'root:x:0:0::/root:/bin/sh\n' }));
    expect(err.kind).toBe('invalid');
    expect(err.message).toBe('not an image archive: it has neither manifest.json (docker save) nor index.json (OCI layout)');
    expect(err.hint).toMatch(/minidock import/);
    expectUntouched();
  });

  it('bytes that are not a tar at all', async () => {
    const err = await loadError(Buffer.from('hello, this is not a tarball\n'.repeat(40)));
    expect(err.kind).toBe('invalid');
    expect(err.message).toMatch(/^loading the archive: /);
    expectUntouched();
  });

  it('manifest.json naming a file the archive lacks', async () => {
    const err = await loadError(await craftTar([{ name: 'manifest.json', content: JSON.stringify([{ Config: 'x.json', RepoTags: [], Layers: [] }]) }]));
    expect(err.message).toBe('manifest.json names "x.json", which is not in the archive');
    expectUntouched();
  });
});

describe('one image per ID', () => {
  it('the same config under another manifest adds names to the image, not a second image', async () => {
    const base = await addImage(t.store, { layers: [{ f: 'same' }], refs: ['docker.io/library/first:1'] });
    const config = await t.store.blobs.read(base.id);
    const layer = await layerTar({ f: 'same' });
    // A docker-save (legacy) copy: minidock rebuilds a manifest for it, which differs from the stored one.
    const archive = await craftTar([
      { name: 'l/layer.tar', content: layer },
      { name: `${hex(base.id)}.json`, content: config },
      { name: 'manifest.json', content: JSON.stringify([{ Config: `${hex(base.id)}.json`, RepoTags: ['second:2'], Layers: ['l/layer.tar'] }]) },
    ]);
    await load(archive);
    const recs = t.store.list();
    expect(recs.map((r) => [r.id, r.refs])).toEqual([[base.id, ['docker.io/library/first:1', 'docker.io/library/second:2']]]);
    expect(recs[0].manifestDigest).toBe(base.manifestDigest);
  });
});

describe('store.commit', () => {
  it('re-unpacks a snapshot that vanished (a concurrent rmi) before the image becomes visible', async () => {
    const base = await addImage(t.store, { layers: [{ 'etc/a': 'a' }], refs: ['docker.io/library/base:1'] });
    const [chain] = chainIds((await t.store.config(base)).rootfs.diff_ids);
    t.store.snapshots.remove(chain);
    // A build step on top of it commits the parent's layer without a pending snapshot.
    await addImage(t.store, { parent: base, refs: ['docker.io/library/child:1'] });
    expect(t.store.snapshots.has(chain)).toBe(true);
    expect(await storeProblems(t.store)).toEqual([]);
  });

  it('cleans what dead commands left behind (ingest dirs, unpack temps, index temps)', async () => {
    const { paths } = t.store.engine;
    const { mkdirSync } = await import('node:fs');
    mkdirSync(`${paths.ingestDir}/4194305-1-aaaaaaaaaaaa`, { recursive: true });
    writeFileSync(`${paths.ingestDir}/4194305-1-aaaaaaaaaaaa/half`, 'x');
    mkdirSync(`${paths.snapshotsDir}/.tmp-4194305-1-bbbbbbbbbbbb/fs`, { recursive: true });
    mkdirSync(`${paths.snapshotsDir}/.tmp-4194305-123456789012/fs`, { recursive: true }); // a build's adopted upper
    // A live process's temp dirs stay, whichever form their name has (an all-digit random part included).
    const live = [`.tmp-${process.pid}-123456789012`, `.tmp-${process.pid}-${processStartTime(process.pid)}-aaaaaaaaaaaa`];
    for (const n of live) mkdirSync(`${paths.snapshotsDir}/${n}/fs`, { recursive: true });
    writeFileSync(`${paths.root}/index.json.tmp-4194305-cccccccc`, '{');
    await addImage(t.store, {});
    expect(readdirSync(paths.snapshotsDir).filter((n) => n.startsWith('.tmp-')).sort()).toEqual(live.sort());
    for (const n of live) rmSync(`${paths.snapshotsDir}/${n}`, { recursive: true });
    expect(await storeProblems(t.store)).toEqual([]);
  });
});
