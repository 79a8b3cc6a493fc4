// `-v` and `--volumes-from` as docker parses them: every accepted shape and docker's errors.
import { describe, expect, it } from 'vitest';
import { MinidockError } from '../../../src/errors.js';
import { isValidMode, parseVolumeFlag, parseVolumesFrom } from '../../../src/runtime/volumes/parse-volume-flag.js';

const CWD = '/work/app';

describe('parseVolumeFlag: accepted', () => {
  it.each([
    ['/host:/ctr', { Type: 'bind', Source: '/host', Target: '/ctr', ReadOnly: false }, '', '/host:/ctr'],
    ['/host:/ctr:ro', { Type: 'bind', Source: '/host', Target: '/ctr', ReadOnly: true }, 'ro', '/host:/ctr:ro'],
    ['/host:/ctr:rw', { Type: 'bind', Source: '/host', Target: '/ctr', ReadOnly: false }, 'rw', '/host:/ctr:rw'],
    ['/host:/ctr:ro,Z', { Type: 'bind', Source: '/host', Target: '/ctr', ReadOnly: true }, 'ro,Z', '/host:/ctr:ro,Z'],
    ['/host:/ctr:rro', { Type: 'bind', Source: '/host', Target: '/ctr', ReadOnly: true }, 'rro', '/host:/ctr:rro'],
    ['/host:/ctr:rshared', { Type: 'bind', Source: '/host', Target: '/ctr', ReadOnly: false, BindOptions: { Propagation: 'rshared' } }, 'rshared', '/host:/ctr:rshared'],
    ['/a/../b//c/:/ctr', { Type: 'bind', Source: '/b/c', Target: '/ctr', ReadOnly: false }, '', '/a/../b//c/:/ctr'],
    ['./data:/ctr', { Type: 'bind', Source: '/work/app/data', Target: '/ctr', ReadOnly: false }, '', '/work/app/data:/ctr'],
    ['.:/ctr:ro', { Type: 'bind', Source: '/work/app', Target: '/ctr', ReadOnly: true }, 'ro', '/work/app:/ctr:ro'],
    ['../up:/ctr', { Type: 'bind', Source: '/work/up', Target: '/ctr', ReadOnly: false }, '', '/work/up:/ctr'],
    ['myvol:/data', { Type: 'volume', Source: 'myvol', Target: '/data', ReadOnly: false }, '', 'myvol:/data'],
    ['myvol:/data:ro', { Type: 'volume', Source: 'myvol', Target: '/data', ReadOnly: true }, 'ro', 'myvol:/data:ro'],
    ['my_vol.1-x:/data:nocopy', { Type: 'volume', Source: 'my_vol.1-x', Target: '/data', ReadOnly: false, VolumeOptions: { NoCopy: true } }, 'nocopy', 'my_vol.1-x:/data:nocopy'],
    ['/data', { Type: 'volume', Source: '', Target: '/data', ReadOnly: false }, '', undefined],
  ])('%s', (value, mount, mode, bind) => {
    const p = parseVolumeFlag(value, CWD);
    expect(p.mount).toEqual(mount);
    expect(p.mode).toBe(mode);
    expect(p.bind).toBe(bind);
  });
});

describe('parseVolumeFlag: docker errors', () => {
  it.each([
    [':/x', "invalid volume specification: ':/x'"],
    ['', "invalid volume specification: ''"],
    ['/foo:rw', "invalid volume specification: '/foo:rw'"],
    ['/foo:', "invalid volume specification: '/foo:'"],
    ['/a:/b:ro:extra', "invalid volume specification: '/a:/b:ro:extra'"],
    ['/a:/b:ro:x:y', "invalid volume specification: '/a:/b:ro:x:y'"],
    ['/h:/c:bogus', 'invalid mode: bogus'],
    ['/h:/c:ro,rw', 'invalid mode: ro,rw'],
    ['/h:/c:z,Z', 'invalid mode: z,Z'],
    ['/h:/', `invalid volume specification: '/h:/': invalid mount config for type "bind": invalid specification: destination can't be '/'`],
    ['/h:/..', `invalid volume specification: '/h:/..': invalid mount config for type "bind": invalid specification: destination can't be '/'`],
    ['/h:rel', `invalid volume specification: '/h:rel': invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`],
    ['rel', `invalid volume specification: 'rel': invalid mount config for type "volume": invalid mount path: 'rel' mount path must be absolute`],
    ['/h:/c:nocopy', `invalid volume specification: '/h:/c:nocopy': invalid mount config for type "bind": field VolumeOptions must not be specified`],
    ['vol:/c:shared', `invalid volume specification: 'vol:/c:shared': invalid mount config for type "volume": field BindOptions must not be specified`],
    ['a:/c', 'create a: volume name is too short, names should be at least two alphanumeric characters'],
    ['hello$:/c', 'create hello$: "hello$" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path'],
    ['~/x:/c', 'create ~/x: "~/x" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path'],
    ['_x:/c', 'create _x: "_x" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path'],
  ])('%j', (value, message) => {
    let err: unknown;
    try {
      parseVolumeFlag(value, CWD);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MinidockError);
    expect((err as MinidockError).message).toBe(message);
    expect((err as MinidockError).exitCode).toBe(125);
  });
});

describe('mount modes', () => {
  it.each([
    ['', true],
    ['ro', true],
    ['rw,z', true],
    ['ro,Z,rprivate,nocopy,cached', true],
    ['ro-non-recursive', true],
    ['rw,rw', false],
    ['shared,slave', false],
    ['nocopy,nocopy', false],
    ['RO', false],
    ['ro,', false],
  ])('%j valid: %s', (mode, valid) => {
    expect(isValidMode(mode)).toBe(valid);
  });
});

describe('parseVolumesFrom', () => {
  it.each([
    ['web', { container: 'web', mode: 'rw', readWrite: true }],
    ['web:ro', { container: 'web', mode: 'ro', readWrite: false }],
    ['web:rw', { container: 'web', mode: 'rw', readWrite: true }],
    ['web:ro,z', { container: 'web', mode: 'ro,z', readWrite: false }],
    ['3f2a9c', { container: '3f2a9c', mode: 'rw', readWrite: true }],
  ])('%j', (spec, want) => {
    expect(parseVolumesFrom(spec)).toEqual(want);
  });

  it.each([
    ['', 'volumes-from specification cannot be an empty string'],
    ['web:bogus', 'invalid mode: bogus'],
    ['web:shared', 'invalid mode: shared'],
    ['web:ro,nocopy', 'invalid mode: ro,nocopy'],
    ['web:ro:rw', 'invalid mode: ro:rw'],
  ])('%j fails: %s', (spec, message) => {
    expect(() => parseVolumesFrom(spec)).toThrow(message);
  });
});
