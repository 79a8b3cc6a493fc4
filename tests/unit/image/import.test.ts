// `import` makes a one-layer image from a tarball read once (hashed and unpacked together):
// the config docker would write, the layer stored uncompressed, and on failure the real
// cause reported (not the other consumer's "stream closed early") with nothing left behind.
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MinidockError } from '../../../src/errors.js';
import { importTarball } from '../../../src/image/import.js';
import { hostPlatform } from '../../../src/image/oci.js';
import { rootCause, StreamClosedEarly, tee } from '../../../src/image/tee.js';
import { layerTar, sha256, storeProblems, tempStore, type TempStore } from './helpers.js';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

describe('importTarball', () => {
  it('writes docker import’s config: comment, one history entry, the layer’s diff ID, this platform', async () => {
    const tar = await layerTar({ 'etc/hostname': 'x\n' });
    const now = new Date('2024-02-03T04:05:06.789Z');
    const rec = await importTarball(t.store, Readable.from([tar]), { ref: 'docker.io/library/imp:1', now });
    const config = await t.store.config(rec);
    expect(config).toEqual({
      ...hostPlatform(),
      created: '2024-02-03T04:05:06.789Z',
      config: {},
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
      comment: 'Imported from -',
      history: [{ created: '2024-02-03T04:05:06.789Z', comment: 'Imported from -' }],
    });
    expect(rec.refs).toEqual(['docker.io/library/imp:1']);
    expect(rec.size).toBeGreaterThan(0);
    const manifest = await t.store.manifest(rec);
    expect(manifest.layers).toEqual([{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(tar), size: tar.length }]);
    expect(await storeProblems(t.store)).toEqual([]);
  });

  it('a gzipped tarball is stored uncompressed (same layer as the plain one); message and config edits apply', async () => {
    const tar = await layerTar({ a: '1' });
    const rec = await importTarball(t.store, Readable.from([gzipSync(tar)]), {
      message: 'my message',
      editConfig: (c) => ({ ...c, Cmd: ['sh'] }),
    });
    const config = await t.store.config(rec);
    expect(config.rootfs.diff_ids).toEqual([sha256(tar)]);
    expect(config.comment).toBe('my message');
    expect(config.history).toEqual([{ created: config.created, comment: 'my message' }]);
    expect(config.config).toEqual({ Cmd: ['sh'] });
    expect(rec.refs).toEqual([]);
  });

  it('a file that is not a tar: the unpacker’s error, every time; nothing left behind', async () => {
    const junk = Buffer.from('definitely not a tarball\n'.repeat(100));
    for (let i = 0; i < 15; i++) {
      const err = await importTarball(t.store, Readable.from([junk])).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(MinidockError);
      expect((err as Error).message).toMatch(/invalid tar header/);
    }
    expect(t.store.list()).toEqual([]);
    expect(await storeProblems(t.store)).toEqual([]);
  });
});

describe('tee', () => {
  it('gives both consumers every byte', async () => {
    const [a, b] = tee(Readable.from([Buffer.from('ab'), Buffer.from('cd')]));
    const read = async (r: Readable) => {
      const out: Buffer[] = [];
      for await (const c of r) out.push(c as Buffer);
      return Buffer.concat(out).toString();
    };
    expect(await Promise.all([read(a), read(b)])).toEqual(['abcd', 'abcd']);
  });

  it('one consumer giving up stops the other with StreamClosedEarly', async () => {
    const [a, b] = tee(new Readable({ read() {} }));
    const closed = new Promise((resolve) => b.on('error', resolve));
    a.on('error', () => {}); // the giving-up side reports its own error
    a.destroy(new Error('bad header'));
    expect(await closed).toBeInstanceOf(StreamClosedEarly);
  });

  it('rootCause prefers the error that is not a consequence, even when wrapped', () => {
    const real = new Error('invalid tar header');
    const wrapped = new MinidockError('unpacking x: stream closed early', { cause: new StreamClosedEarly() });
    expect(rootCause(new StreamClosedEarly(), real)).toBe(real);
    expect(rootCause(wrapped, real)).toBe(real);
    expect(rootCause(real, undefined)).toBe(real);
    expect(rootCause(undefined, wrapped)).toBe(wrapped);
  });
});
