import { describe, expect, it } from 'vitest';
import { expandPortRequests } from '../../../src/runtime/network/port-spec.js';
import { parsePublish } from '../../../src/cli/parse/ports.js';
import { renderPortLines, renderPortsColumn } from '../../../src/runtime/network/port-display.js';
import { ephemeralRange } from '../../../src/runtime/network/port-alloc.js';

describe('-p parsing (src/cli/parse/ports.ts) gives the bindings the network code expands', () => {
  const cases: [string, Record<string, { HostIp: string; HostPort: string }[]>][] = [
    ['80', { '80/tcp': [{ HostIp: '', HostPort: '' }] }],
    ['8080:80', { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }],
    ['8080:80/udp', { '80/udp': [{ HostIp: '', HostPort: '8080' }] }],
    ['127.0.0.1:8080:80', { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] }],
    ['127.0.0.1::80', { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] }],
    ['8000-8001:80-81', { '80/tcp': [{ HostIp: '', HostPort: '8000' }], '81/tcp': [{ HostIp: '', HostPort: '8001' }] }],
    ['8000-8010:80', { '80/tcp': [{ HostIp: '', HostPort: '8000-8010' }] }],
    ['80-81', { '80/tcp': [{ HostIp: '', HostPort: '' }], '81/tcp': [{ HostIp: '', HostPort: '' }] }],
  ];
  it.each(cases)('%s', (spec, bindings) => {
    const r = parsePublish([spec]);
    expect(Object.fromEntries(r.bindings)).toEqual(bindings);
    expect(r.exposed).toEqual(Object.keys(bindings));
  });
});

describe('what to publish', () => {
  it('bindings, then -P for every exposed port without one', () => {
    expect(expandPortRequests({ '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }], '90/tcp': [{ HostIp: '', HostPort: '9000-9010' }] }, true, { '80/tcp': {}, '443/tcp': {}, '53/udp': {} })).toEqual([
      { containerPort: 80, proto: 'tcp', hostIp: '', hostPortLo: 8080, hostPortHi: 8080 },
      { containerPort: 90, proto: 'tcp', hostIp: '', hostPortLo: 9000, hostPortHi: 9010 },
      { containerPort: 443, proto: 'tcp', hostIp: '', hostPortLo: 0, hostPortHi: 0 },
      { containerPort: 53, proto: 'udp', hostIp: '', hostPortLo: 0, hostPortHi: 0 },
    ]);
    expect(expandPortRequests({}, false, { '80/tcp': {} })).toEqual([]);
  });
  it('refuses IPv6 host addresses (IPv4-only publishing)', () => {
    expect(() => expandPortRequests({ '80/tcp': [{ HostIp: '::1', HostPort: '8080' }] }, false, null)).toThrow(/IPv4 addresses only/);
  });
  it('reads the ephemeral range', () => {
    expect(ephemeralRange('32768\t60999\n')).toEqual([32768, 60999]);
    expect(ephemeralRange('garbage')).toEqual([32768, 60999]);
  });
});

describe('PORTS column and `port` (docker DisplayablePorts)', () => {
  const p = (containerPort: number, hostPort: number, hostIp = '0.0.0.0', proto: 'tcp' | 'udp' = 'tcp') => ({ containerPort, hostPort, hostIp, proto });
  it('formats like docker, IPv4 only', () => {
    expect(renderPortsColumn([p(80, 18080)], ['80/tcp'])).toBe('0.0.0.0:18080->80/tcp');
    expect(renderPortsColumn([], ['80/tcp', '443/tcp'])).toBe('80/tcp, 443/tcp');
    expect(renderPortsColumn([], ['80/tcp', '81/tcp', '82/tcp'])).toBe('80-82/tcp');
    expect(renderPortsColumn([p(8000, 8000), p(8001, 8001)])).toBe('0.0.0.0:8000-8001->8000-8001/tcp');
    expect(renderPortsColumn([p(80, 18080), p(53, 5353, '127.0.0.1', 'udp')], ['80/tcp', '53/udp', '9000/tcp'])).toBe('9000/tcp, 127.0.0.1:5353->53/udp, 0.0.0.0:18080->80/tcp');
    expect(renderPortsColumn([])).toBe('');
  });
  it('`port` lines', () => {
    const ports = [p(80, 18080), p(53, 5353, '127.0.0.1', 'udp')];
    expect(renderPortLines(ports)).toEqual(['53/udp -> 127.0.0.1:5353', '80/tcp -> 0.0.0.0:18080']);
    expect(renderPortLines(ports, '80')).toEqual(['0.0.0.0:18080']);
    expect(renderPortLines(ports, '53/udp')).toEqual(['127.0.0.1:5353']);
    expect(renderPortLines(ports, '81')).toBeUndefined();
  });
});
