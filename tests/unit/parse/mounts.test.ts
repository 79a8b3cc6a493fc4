// -p/--expose, -v, --mount, --tmpfs. Client-side messages checked against docker 28.2; the
// daemon-side ones follow moby's volume/mounts/linux_parser.go.
import { describe, expect, it } from 'vitest';
import { parseExpose, parsePortSpec, parsePublish } from '../../../src/cli/parse/ports.js';
import { parseTmpfsFlag, tmpfsMountOptions } from '../../../src/cli/parse/tmpfs.js';

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
