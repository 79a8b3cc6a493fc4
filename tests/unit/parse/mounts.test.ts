// -p/--expose, -v, --mount, --tmpfs. Client-side messages checked against docker 28.2; the
// daemon-side ones follow moby's volume/mounts/linux_parser.go.
import { describe, expect, it } from 'vitest';
import { readCsvRecord } from '../../../src/cli/parse/csv.js';
import { parseMountFlag, tmpfsMountData, validateMount } from '../../../src/cli/parse/mount.js';
import { parseExpose, parsePortSpec, parsePublish } from '../../../src/cli/parse/ports.js';
import { parseTmpfsFlag, tmpfsMountOptions } from '../../../src/cli/parse/tmpfs.js';
import { parseVolumeFlag } from '../../../src/cli/parse/volume.js';

const m = (containerPort: number, hostIp = '', hostPort = '', proto = 'tcp') => ({ containerPort, proto, hostIp, hostPort });

describe('-p', () => {
  it.each([
    ['80', [m(80)]],
    ['8080:80', [m(80, '', '8080')]],
    ['127.0.0.1:8080:80/udp', [m(80, '127.0.0.1', '8080', 'udp')]],
    ['127.0.0.1::80', [m(80, '127.0.0.1', '')]],
    [':80', [m(80)]],
    ['8080-8081:80-81', [m(80, '', '8080'), m(81, '', '8081')]],
    ['8080-8081:80', [m(80, '', '8080-8081')]],
    ['[::1]:8080:80', [m(80, '::1', '8080')]],
    ['::1:8080:80', [m(80, '::1', '8080')]],
    ['80/SCTP', [m(80, '', '', 'sctp')]],
    ['80/', [m(80)]],
  ])('%s', (spec, expected) => expect(parsePortSpec(spec)).toEqual(expected));

  it.each([
    ['abc', 'invalid containerPort: abc'],
    ['70000:80', 'invalid hostPort: 70000'],
    ['80/xyz', 'invalid proto: xyz'],
    ['8080-8082:80-81', 'invalid ranges specified for container and host Ports: 80-81 and 8080-8082'],
    ['81-80', 'invalid containerPort: 81-80'],
    ['x.y:80:80', 'invalid IP address: x.y'],
    ['80:80:80:80', 'invalid IP address: 80:80'],
    ['[::1:80:80', "invalid IP address [::1: address [::1:: missing ']' in address"],
    ['8080:', 'no port specified: 8080:<empty>'],
  ])('rejects %s', (spec, msg) => expect(() => parsePortSpec(spec)).toThrow(msg));

  it('collects bindings per port, the long syntax, and --expose', () => {
    const r = parsePublish(['8080:80', '127.0.0.1:8081:80', 'target=53,published=5353,protocol=udp'], ['90-91', '80']);
    expect(r.exposed).toEqual(['80/tcp', '53/udp', '90/tcp', '91/tcp']);
    expect(r.bindings.get('80/tcp')).toEqual([
      { HostIp: '', HostPort: '8080' },
      { HostIp: '127.0.0.1', HostPort: '8081' },
    ]);
    expect(r.bindings.get('53/udp')).toEqual([{ HostIp: '', HostPort: '5353' }]);
    expect(() => parsePublish(['target=80,bogus'])).toThrow("invalid publish opts format (should be name=value but got 'bogus')");
  });

  it('--expose', () => {
    expect(parseExpose('80')).toEqual(['80/tcp']);
    expect(parseExpose('53/udp')).toEqual(['53/udp']);
    expect(() => parseExpose('abc')).toThrow('invalid range format for --expose: abc, error: strconv.ParseUint: parsing "abc": invalid syntax');
    expect(() => parseExpose('80-70')).toThrow('invalid range format for --expose: 80-70, error: invalid range specified for port: 80-70');
  });
});

describe('-v', () => {
  it('bind, named and anonymous volumes', () => {
    expect(parseVolumeFlag('/host/dir/:/data:ro,z', '/cwd')).toEqual({
      type: 'bind', source: '/host/dir/', target: '/data', readOnly: true, mode: 'ro,z', propagation: 'rprivate', relabel: 'z', noCopy: false,
    });
    expect(parseVolumeFlag('data:/var/lib/x', '/cwd')).toMatchObject({ type: 'volume', source: 'data', target: '/var/lib/x', readOnly: false });
    expect(parseVolumeFlag('/scratch', '/cwd')).toMatchObject({ type: 'volume', source: '', target: '/scratch' });
    expect(parseVolumeFlag('./rel:/x:rshared', '/home/u')).toMatchObject({ type: 'bind', source: '/home/u/rel', propagation: 'rshared' });
    expect(parseVolumeFlag('/a:/b:ro-non-recursive', '/')).toMatchObject({ readOnly: true, readOnlyNonRecursive: true });
    expect(parseVolumeFlag('vol:/b:nocopy', '/')).toMatchObject({ noCopy: true });
  });
  it.each([
    [':/a', 'invalid spec: :/a: empty section between colons'],
    ['/a:', 'invalid spec: /a:: empty section between colons'],
    ['a:b:c:d', "invalid volume specification: 'a:b:c:d'"],
    ['/foo:rw', "invalid volume specification: '/foo:rw'"],
    ['/a:/b:xyz', 'invalid mode: xyz'],
    ['/a:/b:ro,rw', 'invalid mode: ro,rw'],
    ['/a:rel', `invalid volume specification: '/a:rel': invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`],
    ['/a:/', "invalid volume specification: '/a:/': invalid specification: destination can't be '/'"],
    ['/x:ro', "invalid volume specification: '/x:ro'"],
    ['vol:/x:rro', `mount mode "rro" requires a bind mount: invalid volume specification: 'vol:/x:rro'`],
    ['bad$name:/x', `create bad$name: "bad$name" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`],
    ['~/x:/y', 'includes invalid characters for a local volume name'],
  ])('rejects %s', (spec, msg) => {
    expect(() => parseVolumeFlag(spec, '/')).toThrow(msg);
  });
});

describe('--mount', () => {
  it('reads csv fields with quotes', () => {
    expect(readCsvRecord('type=bind,"src=/a,b",dst=/c')).toEqual(['type=bind', 'src=/a,b', 'dst=/c']);
    expect(readCsvRecord('"a""b",c')).toEqual(['a"b', 'c']);
    expect(() => readCsvRecord('type=bind,src="/a')).toThrow('parse error on line 1, column 15: bare " in non-quoted-field');
    expect(() => readCsvRecord('"abc')).toThrow('extraneous or missing " in quoted-field');
    expect(() => readCsvRecord('')).toThrow('EOF');
  });
  it('builds the API mount', () => {
    expect(parseMountFlag('type=bind,src=/a,dst=/b,ro', '/')).toEqual({ Type: 'bind', Source: '/a', Target: '/b', ReadOnly: true });
    expect(parseMountFlag('Type=bind,Source=./x,Destination=/b,bind-propagation=rshared', '/home/u')).toEqual({
      Type: 'bind', Source: '/home/u/x', Target: '/b', BindOptions: { Propagation: 'rshared' },
    });
    expect(parseMountFlag('target=/data,volume-opt=type=nfs,volume-label=a=b,volume-nocopy', '/')).toEqual({
      Type: 'volume', Target: '/data', VolumeOptions: { Labels: { a: 'b' }, DriverConfig: { Options: { type: 'nfs' } }, NoCopy: true },
    });
    const t = parseMountFlag('type=tmpfs,dst=/t,tmpfs-size=64m,tmpfs-mode=1770', '/');
    expect(t).toEqual({ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 64 * 1024 * 1024, Mode: 0o1770 } });
    expect(tmpfsMountData(t)).toBe('mode=1770,size=64m');
  });
  it.each([
    ['src=/a', 'target is required'],
    ['type=bind,foo', "invalid field 'foo' must be a key=value pair"],
    ['type=bind,src=/a,dst=/b,readonly=maybe', 'invalid value for readonly: maybe'],
    ['type=tmpfs,dst=/b,tmpfs-size=1x', 'invalid value for tmpfs-size: 1x'],
    ['type=tmpfs,dst=/b,tmpfs-mode=999', 'invalid value for tmpfs-mode: 999'],
    ['type=tmpfs,dst=/b,volume-nocopy', "cannot mix 'volume-*' options with mount type 'tmpfs'"],
    ['type=bind,src=/a,dst=/b,bind-recursive=xx', 'invalid value for bind-recursive: xx (must be "enabled", "disabled", "writable", or "readonly")'],
    [' type=bind, src=/a,dst=/b', "unexpected key ' type' in ' type=bind'"],
    ['type=volume,dst=/b,volume-nocopy=x', 'invalid value for volume-nocopy: x'],
    ['type=bind,dst=/b,bind-recursive=writable', "option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction"],
    ['type=,dst=/b', 'type is required'],
    ['', 'EOF'],
  ])('rejects %j', (v, msg) => expect(() => parseMountFlag(v, '/')).toThrow(msg));
  it('validates as the daemon does', () => {
    expect(() => validateMount(parseMountFlag('type=foo,dst=/b', '/'))).toThrow('invalid mount config for type "foo": mount type unknown');
    expect(() => validateMount(parseMountFlag('type=bind,dst=/b', '/'))).toThrow('invalid mount config for type "bind": field Source must not be empty');
    expect(() => validateMount(parseMountFlag('type=volume,dst=/b,ro', '/'))).toThrow('must not set ReadOnly mode when using anonymous volumes');
    expect(() => validateMount(parseMountFlag('type=tmpfs,src=x,dst=/b', '/'))).toThrow('field Source must not be specified');
    expect(() => validateMount(parseMountFlag('type=bind,src=/a,dst=rel', '/'))).toThrow("invalid mount path: 'rel' mount path must be absolute");
    expect(() => validateMount(parseMountFlag('type=bind,src=/a,dst=/b', '/'))).not.toThrow();
  });
});

describe('--tmpfs', () => {
  it('splits path and options, merges docker defaults', () => {
    expect(parseTmpfsFlag('/run:size=64m,exec')).toEqual({ target: '/run', options: 'size=64m,exec' });
    expect(parseTmpfsFlag('/run')).toEqual({ target: '/run', options: '' });
    expect(tmpfsMountOptions('')).toEqual(['noexec', 'nosuid', 'nodev', 'rprivate']);
    expect(tmpfsMountOptions('size=64m,exec,shared,size=1g')).toEqual(['nosuid', 'nodev', 'exec', 'shared', 'size=1g']);
  });
  it.each([
    ['rel', "invalid mount path: 'rel' mount path must be absolute"],
    ['/', "invalid specification: destination can't be '/'"],
    ['/x:foo=1', 'Invalid tmpfs option ["foo" "1"]'],
  ])('rejects %s', (v, msg) => expect(() => parseTmpfsFlag(v)).toThrow(msg));
});
