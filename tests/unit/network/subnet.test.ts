import { describe, expect, it } from 'vitest';
import { formatCidr, macForIp, overlaps, parseCidr, parseIp, requireCidr } from '../../../src/runtime/network/cidr.js';
import { candidatePools, hostBlocks, pickSubnet } from '../../../src/runtime/network/subnet-pick.js';

const pick = (routes: { dst?: string }[], addrs: unknown[] = [], extra: string[] = []) =>
  formatCidr(pickSubnet([...hostBlocks(routes, addrs as never[]), ...extra.map((e) => parseCidr(e)!)]));

describe('subnet selection', () => {
  it('takes 172.17.0.0/16 on a host that does not use it', () => {
    expect(pick([{ dst: 'default' }, { dst: '192.0.2.0/24' }])).toBe('172.17.0.0/16');
  });
  it('skips blocks that overlap a route, an address or another network', () => {
    expect(pick([{ dst: '172.17.0.0/16' }])).toBe('172.18.0.0/16');
    expect(pick([{ dst: '172.16.0.0/12' }])).toBe('192.168.0.0/20');
    expect(pick([{ dst: '172.18.5.7' }, { dst: '172.17.0.0/16' }])).toBe('172.19.0.0/16');
    expect(pick([], [{ addr_info: [{ family: 'inet', local: '172.17.3.4', prefixlen: 24 }] }])).toBe('172.18.0.0/16');
    expect(pick([], [], ['172.17.0.0/16', '172.18.0.0/16'])).toBe('172.19.0.0/16');
    // A corporate 192.168.0.0/16 on the LAN and all of 172.16/12 routed: nothing left.
    expect(() => pick([{ dst: '172.16.0.0/12' }, { dst: '192.168.0.0/16' }])).toThrow(/non-overlapping IPv4 address pool/);
  });
  it('ignores the default route and IPv6 addresses', () => {
    expect(pick([{ dst: 'default' }], [{ addr_info: [{ family: 'inet6', local: 'fd00::2', prefixlen: 64 }] }])).toBe('172.17.0.0/16');
  });
  it('offers docker\'s default pools in order', () => {
    const pools = candidatePools().map(formatCidr);
    expect(pools.slice(0, 2)).toEqual(['172.17.0.0/16', '172.18.0.0/16']);
    expect(pools[14]).toBe('172.31.0.0/16');
    expect(pools[15]).toBe('192.168.0.0/20');
    expect(pools.at(-1)).toBe('192.168.240.0/20');
  });
});

describe('CIDR arithmetic', () => {
  it('parses, normalises and rejects like docker', () => {
    expect(formatCidr(parseCidr('10.1.2.3/8')!)).toBe('10.0.0.0/8');
    expect(parseIp('256.1.1.1')).toBeUndefined();
    expect(parseIp('01.1.1.1')).toBeUndefined();
    expect(() => requireCidr('300.1.1.0/24')).toThrow('invalid CIDR address: 300.1.1.0/24');
    expect(() => requireCidr('10.0.0.0/33')).toThrow('invalid CIDR address');
    expect(overlaps(parseCidr('10.0.0.0/8')!, parseCidr('10.200.0.0/16')!)).toBe(true);
    expect(overlaps(parseCidr('10.0.0.0/24')!, parseCidr('10.0.1.0/24')!)).toBe(false);
    expect(macForIp(parseIp('172.17.0.2')!)).toBe('02:42:ac:11:00:02');
  });
});
