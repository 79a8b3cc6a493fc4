// `save` writes one tarball that is both an OCI image layout and a docker-save archive
// (docker 25+'s layout): check its entries, manifest.json and index.json, and that saving
// twice gives the same bytes.
import { PassThrough } from 'node:stream';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveImages, type SaveItem } from '../../../src/image/save.js';
import type { ImageRecord } from '../../../src/image/store/store.js';
import { addImage, sha256, tempStore, type TempStore } from './helpers.js';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

async function save(items: SaveItem[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await saveImages(t.store, items, out);
  return Buffer.concat(chunks);
}

interface Entry {
  name: string;
  type: string;
  mode: number;
  mtime: number;
  data: Buffer;
}

async function entries(archive: Buffer): Promise<Entry[]> {
  const out: Entry[] = [];
  const ex = tar.extract();
  ex.on('entry', (h, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => void chunks.push(c as Buffer));
    stream.on('end', () => {
      out.push({ name: h.name, type: h.type ?? 'file', mode: h.mode ?? 0, mtime: h.mtime?.getTime() ?? -1, data: Buffer.concat(chunks) });
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    ex.on('finish', () => resolve());
    ex.on('error', reject);
  });
  ex.end(archive);
  await done;
  return out;
}

const json = (es: Entry[], name: string) => JSON.parse(es.find((e) => e.name === name)!.data.toString());
const blob = (d: string) => `blobs/sha256/${d.slice(7)}`;

async function twoLayerImage(refs: string[]): Promise<ImageRecord> {
  const base = await addImage(t.store, { layers: [{ 'etc/a': 'a' }] });
  return addImage(t.store, { parent: base, layers: [{ 'etc/b': 'b' }], refs });
}

describe('save', () => {
  it('writes the OCI layout and docker’s manifest.json, every blob once and verified', async () => {
    const img = await twoLayerImage(['docker.io/library/app:1']);
    const manifest = await t.store.manifest(img);
    const es = await entries(await save([{ rec: img, ref: 'docker.io/library/app:1' }]));
    const layers = manifest.layers.map((l) => l.digest);
    expect(es.map((e) => e.name)).toEqual([
      'blobs/',
      'blobs/sha256/',
      blob(img.manifestDigest),
      blob(img.id),
      ...layers.map(blob),
      'index.json',
      'manifest.json',
      'oci-layout',
    ]);
    for (const e of es.filter((x) => x.name.startsWith('blobs/sha256/') && x.type === 'file')) {
      expect(sha256(e.data)).toBe(`sha256:${e.name.slice('blobs/sha256/'.length)}`);
    }
    expect(json(es, 'oci-layout')).toEqual({ imageLayoutVersion: '1.0.0' });
    expect(json(es, 'manifest.json')).toEqual([{ Config: blob(img.id), RepoTags: ['app:1'], Layers: layers.map(blob) }]);
    expect(json(es, 'index.json')).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: img.manifestDigest,
          size: img.manifestSize,
          annotations: { 'io.containerd.image.name': 'docker.io/library/app:1', 'org.opencontainers.image.ref.name': '1' },
        },
      ],
    });
  });

  it('fixed metadata: saving twice gives the same bytes', async () => {
    const img = await twoLayerImage(['docker.io/library/app:1']);
    const a = await save([{ rec: img, ref: 'docker.io/library/app:1' }]);
    const b = await save([{ rec: img, ref: 'docker.io/library/app:1' }]);
    expect(a.equals(b)).toBe(true);
    for (const e of await entries(a)) {
      expect(e.mtime).toBe(0);
      expect(e.mode).toBe(e.type === 'directory' ? 0o755 : 0o644);
    }
  });

  it('saved by ID: no name anywhere (RepoTags null)', async () => {
    const img = await twoLayerImage(['docker.io/library/app:1']);
    const es = await entries(await save([{ rec: img }]));
    expect(json(es, 'manifest.json')[0].RepoTags).toBeNull();
    expect(json(es, 'index.json').manifests[0].annotations).toBeUndefined();
  });

  it('two names of one image: one manifest.json entry with both tags, one index entry per name; shared blobs once', async () => {
    const img = await twoLayerImage(['docker.io/library/app:1', 'localhost:5000/team/app:2']);
    const other = await addImage(t.store, { refs: ['docker.io/library/x:latest'] });
    const es = await entries(
      await save([
        { rec: img, ref: 'docker.io/library/app:1' },
        { rec: img, ref: 'localhost:5000/team/app:2' },
        { rec: other, ref: 'docker.io/library/x:latest' },
      ]),
    );
    const mj = json(es, 'manifest.json');
    expect(mj.map((m: { RepoTags: string[] }) => m.RepoTags)).toEqual([['app:1', 'localhost:5000/team/app:2'], ['x:latest']]);
    const names = json(es, 'index.json').manifests.map((m: { annotations: Record<string, string> }) => m.annotations['io.containerd.image.name']);
    expect(names).toEqual(['docker.io/library/app:1', 'localhost:5000/team/app:2', 'docker.io/library/x:latest']);
    const blobNames = es.filter((e) => e.type === 'file' && e.name.startsWith('blobs/')).map((e) => e.name);
    expect(new Set(blobNames).size).toBe(blobNames.length);
  });

  it('a corrupt blob aborts the save with the corruption error', async () => {
    const img = await twoLayerImage(['docker.io/library/app:1']);
    const layer = (await t.store.manifest(img)).layers[1].digest;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(t.store.engine.paths.blob(layer), 'not the layer');
    await expect(save([{ rec: img, ref: 'docker.io/library/app:1' }])).rejects.toThrow(`blob ${layer} is corrupted`);
  });
});
