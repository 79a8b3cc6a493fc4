// `--mount` as the docker CLI parses it, and the daemon's check of the result.
import { describe, expect, it } from 'vitest';
import { MinidockError } from '../../../src/errors.js';
import { type DockerMount, tmpfsOptions, validateMount } from '../../../src/runtime/volumes/docker-mount.js';
import { parseMountFlag } from '../../../src/runtime/volumes/parse-mount-flag.js';

const CWD = '/work/app';

describe('parseMountFlag: accepted', () => {
  it.each<[string, DockerMount]>([
    ['type=bind,source=/h,target=/c', { Type: 'bind', Source: '/h', Target: '/c' }],
    ['type=bind,src=/h,dst=/c,readonly', { Type: 'bind', Source: '/h', Target: '/c', ReadOnly: true }],
    ['type=bind,src=/h,destination=/c,ro=true', { Type: 'bind', Source: '/h', Target: '/c', ReadOnly: true }],
    ['type=bind,src=/h,dst=/c,ro=0', { Type: 'bind', Source: '/h', Target: '/c', ReadOnly: false }],
    ['type=bind,src=/h,dst=/c,readonly=1', { Type: 'bind', Source: '/h', Target: '/c', ReadOnly: true }],
    ['TYPE=BIND,SRC=/h,DST=/c', { Type: 'bind', Source: '/h', Target: '/c' }],
    ['type=bind,src=./d,dst=/c', { Type: 'bind', Source: '/work/app/d', Target: '/c' }],
    ['type=bind,src=.,dst=/c', { Type: 'bind', Source: '/work/app', Target: '/c' }],
    ['type=bind,src=/h,dst=/c,bind-propagation=RSHARED', { Type: 'bind', Source: '/h', Target: '/c', BindOptions: { Propagation: 'rshared' } }],
    ['type=bind,src=/h,dst=/c,bind-create-src', { Type: 'bind', Source: '/h', Target: '/c', BindOptions: { CreateMountpoint: true } }],
    ['type=bind,src=/h,dst=/c,bind-recursive=disabled', { Type: 'bind', Source: '/h', Target: '/c', BindOptions: { NonRecursive: true } }],
    ['"src=/a,b",dst=/c,type=bind', { Type: 'bind', Source: '/a,b', Target: '/c' }],
    ['src=vol,dst=/c', { Type: 'volume', Source: 'vol', Target: '/c' }],
    ['type=volume,target=/c,volume-nocopy', { Type: 'volume', Target: '/c', VolumeOptions: { NoCopy: true } }],
    ['type=volume,target=/c,volume-nocopy=false', { Type: 'volume', Target: '/c', VolumeOptions: { NoCopy: false } }],
    ['type=volume,src=v,dst=/d,volume-label=a=b,volume-label=c', { Type: 'volume', Source: 'v', Target: '/d', VolumeOptions: { Labels: { a: 'b', c: '' } } }],
    ['type=volume,src=v,dst=/d,volume-driver=local', { Type: 'volume', Source: 'v', Target: '/d', VolumeOptions: { DriverConfig: { Name: 'local' } } }],
    ['type=tmpfs,dst=/t,tmpfs-size=64m,tmpfs-mode=1770', { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 64 * 2 ** 20, Mode: 0o1770 } }],
    ['type=tmpfs,dst=/t,tmpfs-size=1.5g', { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1.5 * 2 ** 30 } }],
    [' type=tmpfs,dst=/t ', { Type: 'tmpfs', Target: '/t' }],
    // The CLI leaves "target is required" to the daemon (validateMount below).
    ['type=bind,src=/h', { Type: 'bind', Source: '/h' }],
  ])('%s', (value, want) => {
    expect(parseMountFlag(value, CWD)).toEqual(want);
  });
});

describe('parseMountFlag: docker CLI errors', () => {
  it.each([
    ['', 'value is empty'],
    ['type=bind,src=/h,dst=/c,bogus', "invalid field 'bogus' must be a key=value pair"],
    ['type=bind,foo=bar', "unknown option 'foo' in 'foo=bar'"],
    ['type=bind,src= /h', "invalid value for 'src' in 'src= /h': value should not have whitespace"],
    ['type=bind,src=', "invalid value for 'src': value is empty"],
    ['type=bind, src=/h', "invalid option 'src' in ' src=/h': option should not have whitespace"],
    ['type=,dst=/x', "invalid value for 'type': value is empty"],
    ['type=bind,ro=maybe', `invalid value for 'ro': invalid boolean value ("maybe"): must be one of "true", "1", "false", or "0" (default "true")`],
    ['type=bind,volume-nocopy', "cannot mix 'volume-*' options with mount type 'bind'"],
    ['type=volume,tmpfs-size=1m', "cannot mix 'tmpfs-*' options with mount type 'volume'"],
    ['type=tmpfs,bind-propagation=shared', "cannot mix 'bind-*' options with mount type 'tmpfs'"],
    ['type=tmpfs,tmpfs-size=lots', 'invalid value for tmpfs-size: lots'],
    ['type=tmpfs,tmpfs-mode=999', 'invalid value for tmpfs-mode: 999'],
    ['type=bind,bind-nonrecursive', 'bind-nonrecursive is deprecated, use bind-recursive=disabled instead'],
    ['type=bind,src="/h,dst=/c', 'failed to parse csv mounts: bare " in non-quoted field'],
  ])('%j', (value, why) => {
    let err: unknown;
    try {
      parseMountFlag(value, CWD);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MinidockError);
    expect((err as MinidockError).message).toBe(`invalid argument ${JSON.stringify(value)} for "--mount" flag: ${why}`);
    expect((err as MinidockError).exitCode).toBe(125);
  });
});

describe('validateMount: the daemon\'s checks', () => {
  const none = () => false;
  it.each<[DockerMount, string]>([
    [{ Type: 'bind', Source: '/h' }, 'invalid mount config for type "bind": field Target must not be empty'],
    [{ Type: 'bind', Target: '/c' }, 'invalid mount config for type "bind": field Source must not be empty'],
    [{ Type: 'bind', Source: 'rel', Target: '/c' }, `invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`],
    [{ Type: 'bind', Source: '/nope', Target: '/c' }, 'invalid mount config for type "bind": bind source path does not exist: /nope'],
    [{ Type: 'bind', Source: '/h', Target: '/c', BindOptions: { Propagation: 'sideways' } }, 'invalid mount config for type "bind": invalid propagation mode: sideways'],
    [{ Type: 'bind', Source: '/h', Target: '/' }, `invalid mount config for type "bind": invalid specification: destination can't be '/'`],
    [{ Type: 'bind', Source: '/h', Target: '//.' }, `invalid mount config for type "bind": invalid specification: destination can't be '/'`],
    [{ Type: 'bind', Source: '/h', Target: 'c' }, `invalid mount config for type "bind": invalid mount path: 'c' mount path must be absolute`],
    [{ Type: 'volume', Target: '/c', ReadOnly: true }, 'invalid mount config for type "volume": must not set ReadOnly mode when using anonymous volumes'],
    [{ Type: 'volume', Source: 'v', Target: '/c', BindOptions: {} }, 'invalid mount config for type "volume": field BindOptions must not be specified'],
    [{ Type: 'volume', Source: 'v', Target: '/c', VolumeOptions: { DriverConfig: { Name: 'nfs' } } }, 'invalid mount config for type "volume": volume driver "nfs" is not available: minidock has only the "local" driver'],
    [{ Type: 'tmpfs', Source: 'x', Target: '/c' }, 'invalid mount config for type "tmpfs": field Source must not be specified'],
    [{ Type: 'npipe', Source: 'x', Target: '/c' }, 'invalid mount config for type "npipe": mount type unknown'],
  ])('%j', (m, message) => {
    expect(() => validateMount(m, none)).toThrow(message);
  });

  it('accepts a bind whose source is missing when it may be created', () => {
    expect(() => validateMount({ Type: 'bind', Source: '/nope', Target: '/c', BindOptions: { CreateMountpoint: true } }, none)).not.toThrow();
    expect(() => validateMount({ Type: 'bind', Source: '/nope', Target: '/c' })).not.toThrow();
    expect(() => validateMount({ Type: 'bind', Source: '/h', Target: '/c' }, (p) => p === '/h')).not.toThrow();
    expect(() => validateMount({ Type: 'volume', Source: 'v', Target: '/c', ReadOnly: true }, none)).not.toThrow();
  });

  it.each<[DockerMount, string]>([
    [{ Type: 'tmpfs', ReadOnly: true, TmpfsOptions: { Mode: 0o1777, SizeBytes: 64 * 2 ** 20 } }, 'ro,mode=1777,size=64m'],
    [{ Type: 'tmpfs', TmpfsOptions: { SizeBytes: 1.5 * 2 ** 30 } }, 'size=1536m'],
    [{ Type: 'tmpfs', TmpfsOptions: { SizeBytes: 2 ** 30 } }, 'size=1g'],
    [{ Type: 'tmpfs', TmpfsOptions: { SizeBytes: 2048 } }, 'size=2k'],
    [{ Type: 'tmpfs', TmpfsOptions: { SizeBytes: 1000, Mode: 0o700 } }, 'mode=700,size=1000'],
    [{ Type: 'tmpfs' }, ''],
  ])('tmpfs options of %j: %s', (m, want) => {
    expect(tmpfsOptions(m)).toBe(want);
  });
});
