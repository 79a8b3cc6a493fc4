// Which image an argument names, in docker's order (daemon/images GetImage): full ID, then a
// name or digest reference, then a unique ID prefix; and docker's "No such image" text.
import { describe, expect, it } from 'vitest';
import { MinidockError } from '../../../src/errors.js';
import type { ImageRecord } from '../../../src/image/store/catalog.js';
import { lookupImage, matchImage, noSuchImage, resolveImage } from '../../../src/image/store/resolve.js';

const ID_A = `sha256:abc1${'0'.repeat(60)}`;
const ID_B = `sha256:abc2${'0'.repeat(60)}`;
// Image C's ID starts with "beef": also the name of image D.
const ID_C = `sha256:beef${'1'.repeat(60)}`;
const ID_D = `sha256:dddd${'2'.repeat(60)}`;
const M_A = `sha256:${'a'.repeat(64)}`;
const M_B = `sha256:${'b'.repeat(64)}`;
const PULLED = `sha256:${'9'.repeat(64)}`;

function rec(id: string, manifestDigest: string, refs: string[], repoDigests: string[] = []): ImageRecord {
  return { id, manifestDigest, manifestMediaType: 'm', manifestSize: 1, refs, size: 0, intermediate: false, repoDigests };
}

const records = [
  rec(ID_A, M_A, ['docker.io/library/busybox:latest', 'localhost:5000/tools/bb:1.36']),
  rec(ID_B, M_B, ['docker.io/library/alpine:3'], [`docker.io/library/alpine@${PULLED}`]),
  rec(ID_C, `sha256:${'c'.repeat(64)}`, []),
  rec(ID_D, `sha256:${'d'.repeat(64)}`, ['docker.io/library/beef:latest']),
];

const idOf = (s: string) => lookupImage(records, s)?.id;

describe('lookup order', () => {
  it.each([
    ['busybox', ID_A],
    ['busybox:latest', ID_A],
    ['docker.io/library/busybox', ID_A],
    ['index.docker.io/library/busybox:latest', ID_A],
    ['localhost:5000/tools/bb:1.36', ID_A],
    ['alpine:3', ID_B],
  ])('by name: %s', (s, id) => expect(idOf(s)).toBe(id));

  it('a name without a tag means :latest', () => {
    expect(idOf('alpine')).toBeUndefined();
    expect(idOf('localhost:5000/tools/bb')).toBeUndefined();
  });

  it('by digest reference: the pulled digest, or the manifest digest within a tagged repository', () => {
    expect(idOf(`alpine@${PULLED}`)).toBe(ID_B);
    expect(idOf(`busybox@${M_A}`)).toBe(ID_A);
    expect(idOf(`localhost:5000/tools/bb@${M_A}`)).toBe(ID_A);
    // The same digest under a repository the image is not in names nothing.
    expect(idOf(`other@${M_A}`)).toBeUndefined();
    expect(idOf(`busybox@${PULLED}`)).toBeUndefined();
  });

  it('by full ID, with or without sha256:', () => {
    expect(idOf(ID_C)).toBe(ID_C);
    expect(idOf(ID_C.slice(7))).toBe(ID_C);
    expect(idOf(`sha256:${'e'.repeat(64)}`)).toBeUndefined();
  });

  it('by unique ID prefix, with or without sha256:', () => {
    expect(idOf('abc1')).toBe(ID_A);
    expect(idOf('sha256:abc2')).toBe(ID_B);
    expect(idOf('dddd2')).toBe(ID_D);
    expect(idOf('fff')).toBeUndefined();
  });

  it('a name wins over an ID prefix that is spelt the same', () => {
    expect(idOf('beef')).toBe(ID_D);
    expect(idOf('beef1')).toBe(ID_C);
  });

  it('an ambiguous prefix is an error that says so', () => {
    expect(() => lookupImage(records, 'abc')).toThrow('image ID prefix abc is ambiguous: it matches 2 images');
    // …also for the lenient lookup used by `inspect`: it is not "no such image".
    expect(() => matchImage(records, 'sha256:ab')).toThrow(/ambiguous/);
  });

  it('an image with two tags is one match, not an ambiguity', () => {
    const twice = [...records, rec(ID_A, M_A, ['docker.io/library/x:1'])];
    expect(lookupImage(twice, 'abc1')?.id).toBe(ID_A);
  });
});

describe('invalid references', () => {
  it('resolve throws the reference error, as the daemon does', () => {
    expect(() => resolveImage(records, 'Busybox')).toThrow('invalid reference format: repository name (library/Busybox) must be lowercase');
    try {
      resolveImage(records, 'Busybox');
    } catch (e) {
      expect((e as MinidockError).kind).toBe('invalid');
    }
  });

  it('matchImage treats them as naming nothing', () => {
    expect(matchImage(records, 'Busybox')).toBeUndefined();
    expect(matchImage(records, 'a b')).toBeUndefined();
  });
});

describe('No such image', () => {
  it.each([
    ['nope', 'No such image: nope:latest'],
    ['nope:1', 'No such image: nope:1'],
    ['docker.io/library/nope', 'No such image: nope:latest'],
    ['localhost:5000/a/b', 'No such image: localhost:5000/a/b:latest'],
    ['123abc', 'No such image: 123abc:latest'],
    [`nope@${PULLED}`, `No such image: nope@${PULLED}`],
    ['f'.repeat(64), `No such image: ${'f'.repeat(64)}`],
  ])('%s → %s', (arg, message) => {
    expect(noSuchImage(arg).message).toBe(message);
    expect(noSuchImage(arg).kind).toBe('not-found');
    expect(noSuchImage(arg).exitCode).toBe(1);
  });

  it('resolveImage throws it', () => {
    expect(() => resolveImage(records, 'nope')).toThrow('No such image: nope:latest');
  });
});
