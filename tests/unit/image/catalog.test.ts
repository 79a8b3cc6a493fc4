// The catalogue is the OCI layout's index.json: records survive a write and a read unchanged,
// the file stays a valid OCI index that other tools read, and a broken one is reported.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MinidockError } from '../../../src/errors.js';
import { pathsFor, type Paths } from '../../../src/paths.js';
import {
  indexFromRecords,
  readIndex,
  recordsFromIndex,
  removeStaleIndexTemps,
  writeIndex,
  type ImageRecord,
} from '../../../src/image/store/catalog.js';

const hex = (c: string) => c.repeat(64);
const d = (c: string) => `sha256:${hex(c)}`;

function record(over: Partial<ImageRecord>): ImageRecord {
  return {
    id: d('1'),
    manifestDigest: d('a'),
    manifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
    manifestSize: 400,
    refs: [],
    size: 0,
    intermediate: false,
    repoDigests: [],
    ...over,
  };
}

let root: string;
let paths: Paths;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'minidock-catalog-'));
  paths = pathsFor(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('index.json round trip', () => {
  const records: ImageRecord[] = [
    record({
      refs: ['docker.io/library/busybox:latest', 'localhost:5000/x/y:2'],
      created: '2024-01-02T03:04:05.123Z',
      size: 2140160,
      lastTagTime: '2024-01-02T03:04:06Z',
      repoDigests: [`docker.io/library/busybox@${d('9')}`],
    }),
    record({ id: d('2'), manifestDigest: d('b'), manifestSize: 321, intermediate: true, parent: d('1'), cacheKey: 'k1', size: 5 }),
    record({ id: d('3'), manifestDigest: d('c'), manifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json', refs: ['docker.io/library/app:1'] }),
  ];

  it('keeps every field of every record', () => {
    writeIndex(paths, indexFromRecords(records));
    expect(recordsFromIndex(readIndex(paths))).toEqual(records);
  });

  it('writes one descriptor per (manifest, tag), and one untagged for an image without tags', () => {
    const index = indexFromRecords(records);
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(index.manifests.map((m) => [m.digest, m.annotations?.['org.opencontainers.image.ref.name']])).toEqual([
      [d('a'), 'docker.io/library/busybox:latest'],
      [d('a'), 'localhost:5000/x/y:2'],
      [d('b'), undefined],
      [d('c'), 'docker.io/library/app:1'],
    ]);
    expect(index.manifests[2]).toMatchObject({
      size: 321,
      annotations: { 'io.minidock.image.id': d('2'), 'io.minidock.build.intermediate': 'true', 'io.minidock.image.parent': d('1'), 'io.minidock.build.cache-key': 'k1' },
    });
  });

  it('an empty or missing catalogue is no images', () => {
    expect(recordsFromIndex(readIndex(paths))).toEqual([]);
    writeIndex(paths, indexFromRecords([]));
    expect(JSON.parse(readFileSync(paths.index, 'utf8'))).toEqual({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] });
  });

  it('makes the root an OCI image layout (oci-layout beside index.json), atomically', () => {
    writeIndex(paths, indexFromRecords(records));
    expect(JSON.parse(readFileSync(paths.ociLayout, 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    expect(readdirSync(root).sort()).toEqual(['index.json', 'oci-layout']);
  });

  it('reports a catalogue that is not an OCI index as corrupt', () => {
    writeFileSync(paths.index, JSON.stringify({ schemaVersion: 2, manifests: [{ digest: 'nope' }] }));
    expect(() => readIndex(paths)).toThrow(MinidockError);
    try {
      readIndex(paths);
    } catch (e) {
      expect((e as MinidockError).kind).toBe('corrupt');
      expect((e as MinidockError).message).toContain(`${paths.index} is not a valid OCI index`);
    }
  });
});

describe('removeStaleIndexTemps', () => {
  it('removes temp files of dead writers and keeps live ones', () => {
    writeIndex(paths, indexFromRecords([]));
    writeFileSync(join(root, 'index.json.tmp-4194305-deadbeef'), '{');
    writeFileSync(join(root, `index.json.tmp-${process.pid}-cafebabe`), '{');
    removeStaleIndexTemps(paths);
    expect(existsSync(join(root, 'index.json.tmp-4194305-deadbeef'))).toBe(false);
    expect(existsSync(join(root, `index.json.tmp-${process.pid}-cafebabe`))).toBe(true);
    expect(existsSync(paths.index)).toBe(true);
  });
});
