// Golden plans: the exact `ip -b` batches and nft scripts.
import { describe, expect, it } from 'vitest';
import { planBridgeUp, planContainerSide, planHostSide, planTeardown, type VethSpec } from '../../../src/runtime/network/link-plan.js';
import { parseRuleList, planDeleteRules, planNetworkRules, planPortRules, planSkeleton, renderScript } from '../../../src/runtime/network/nft-plan.js';
import { planDnsmasq, renderDnsHosts, hostUpstreams } from '../../../src/runtime/network/dns.js';
import type { NetworkRecord } from '../../../src/runtime/network/model.js';

const A = 'a'.repeat(64);
const N = 'b'.repeat(64);
const veth = (ifName: string, ip: string): VethSpec => ({
  hostVeth: `mdaaaaaaaaa${ifName === 'eth0' ? 'bbbb' : 'cccc'}`,
  ifName,
  mac: '02:42:ac:12:00:02',
  bridge: 'mdbr-bbbbbbbbbb',
  alias: `minidock:ctr:${A}:net:${N}`,
  ip,
  prefixLen: 16,
});

describe('ip batches', () => {
  it('bridge', () => {
    expect(planBridgeUp({ name: 'minidock0', mac: '02:bb:bb:bb:bb:bb', alias: `minidock:net:${N}`, gateway: '172.17.0.1', prefixLen: 16 })).toBe(
      ['link add minidock0 address 02:bb:bb:bb:bb:bb type bridge', `link set minidock0 alias minidock:net:${N}`, 'addr add 172.17.0.1/16 dev minidock0', 'link set minidock0 up', ''].join('\n'),
    );
  });
  it('host side and container side of an attach', () => {
    expect(planHostSide('minidock-aaaaaaaaaaaa', [veth('eth0', '172.18.0.2')], true)).toBe(
      [
        'netns add minidock-aaaaaaaaaaaa',
        'link add mdaaaaaaaaabbbb type veth peer name eth0 address 02:42:ac:12:00:02 netns minidock-aaaaaaaaaaaa',
        `link set mdaaaaaaaaabbbb alias minidock:ctr:${A}:net:${N}`,
        'link set mdaaaaaaaaabbbb master mdbr-bbbbbbbbbb',
        'link set mdaaaaaaaaabbbb type bridge_slave hairpin on',
        'link set mdaaaaaaaaabbbb up',
        '',
      ].join('\n'),
    );
    expect(planContainerSide([veth('eth0', '172.18.0.2'), veth('eth1', '10.0.0.2')], { ifName: 'eth0', ip: '172.18.0.1' }, true)).toBe(
      ['link set lo up', 'addr add 172.18.0.2/16 dev eth0', 'link set eth0 up', 'addr add 10.0.0.2/16 dev eth1', 'link set eth1 up', 'route add default via 172.18.0.1 dev eth0', ''].join('\n'),
    );
    // Hot-plug: no netns, no lo, no route.
    expect(planHostSide('ns', [veth('eth1', '10.0.0.2')], false).startsWith('link add')).toBe(true);
    expect(planContainerSide([veth('eth1', '10.0.0.2')], undefined, false)).toBe('addr add 10.0.0.2/16 dev eth1\nlink set eth1 up\n');
  });
  it('teardown', () => {
    expect(planTeardown(['mdx', 'mdy'], 'minidock-aaaaaaaaaaaa')).toBe('link del mdx\nlink del mdy\nnetns del minidock-aaaaaaaaaaaa\n');
    expect(planTeardown([], undefined)).toBe('');
  });
});

describe('nft scripts', () => {
  const net = { id: N, bridge: 'mdbr-bbbbbbbbbb', subnet: '172.18.0.0/16', gateway: '172.18.0.1', internal: false };
  it('skeleton and a network', () => {
    expect(renderScript([...planSkeleton('minidock'), ...planNetworkRules('minidock', net, `minidock:net:${N}`)])).toBe(
      [
        'add table ip minidock',
        'add chain ip minidock prerouting { type nat hook prerouting priority -100; policy accept; }',
        'add chain ip minidock output { type nat hook output priority -100; policy accept; }',
        'add chain ip minidock postrouting { type nat hook postrouting priority 100; policy accept; }',
        'add chain ip minidock forward { type filter hook forward priority 0; policy accept; }',
        'add chain ip minidock input { type filter hook input priority 0; policy accept; }',
        'add chain ip minidock isolate { }',
        `add rule ip minidock postrouting ip saddr 172.18.0.0/16 oifname != "mdbr-bbbbbbbbbb" masquerade comment "minidock:net:${N}"`,
        `add rule ip minidock postrouting ip saddr 172.18.0.0/16 oifname "mdbr-bbbbbbbbbb" ct status dnat masquerade comment "minidock:net:${N}"`,
        `add rule ip minidock postrouting ip saddr 127.0.0.0/8 oifname "mdbr-bbbbbbbbbb" masquerade comment "minidock:net:${N}"`,
        `add rule ip minidock forward iifname "mdbr-bbbbbbbbbb" oifname != "mdbr-bbbbbbbbbb" ct status != dnat jump isolate comment "minidock:net:${N}"`,
        `add rule ip minidock isolate oifname "mdbr-bbbbbbbbbb" drop comment "minidock:net:${N}"`,
        '',
      ].join('\n'),
    );
  });
  it('an internal network', () => {
    expect(planNetworkRules('minidock', { ...net, internal: true }, 't')).toEqual([
      'add rule ip minidock forward iifname "mdbr-bbbbbbbbbb" oifname != "mdbr-bbbbbbbbbb" drop comment "t"',
      'add rule ip minidock forward oifname "mdbr-bbbbbbbbbb" iifname != "mdbr-bbbbbbbbbb" drop comment "t"',
      'add rule ip minidock input iifname "mdbr-bbbbbbbbbb" ip daddr != 172.18.0.1 drop comment "t"',
    ]);
  });
  it('published ports', () => {
    expect(
      planPortRules(
        'minidock',
        [
          { hostIp: '', hostPort: 18080, proto: 'tcp', containerIp: '172.18.0.2', containerPort: 80 },
          { hostIp: '127.0.0.1', hostPort: 5353, proto: 'udp', containerIp: '172.18.0.2', containerPort: 53 },
        ],
        `minidock:ctr:${A}`,
      ),
    ).toEqual([
      `add rule ip minidock prerouting fib daddr type local tcp dport 18080 dnat to 172.18.0.2:80 comment "minidock:ctr:${A}"`,
      `add rule ip minidock output fib daddr type local tcp dport 18080 dnat to 172.18.0.2:80 comment "minidock:ctr:${A}"`,
      `add rule ip minidock prerouting ip daddr 127.0.0.1 udp dport 5353 dnat to 172.18.0.2:53 comment "minidock:ctr:${A}"`,
      `add rule ip minidock output ip daddr 127.0.0.1 udp dport 5353 dnat to 172.18.0.2:53 comment "minidock:ctr:${A}"`,
    ]);
  });
  it('finds rules by tag in `nft -j -a list table` and deletes them by handle', () => {
    const json = JSON.stringify({
      nftables: [
        { metainfo: {} },
        { table: { family: 'ip', name: 'minidock' } },
        { rule: { family: 'ip', table: 'minidock', chain: 'prerouting', handle: 7, comment: 'minidock:ctr:x', expr: [] } },
        { rule: { family: 'ip', table: 'minidock', chain: 'output', handle: 9, expr: [] } },
      ],
    });
    const rules = parseRuleList(json);
    expect(rules).toEqual([
      { chain: 'prerouting', handle: 7, comment: 'minidock:ctr:x' },
      { chain: 'output', handle: 9, comment: '' },
    ]);
    expect(planDeleteRules('minidock', rules.slice(0, 1))).toEqual(['delete rule ip minidock prerouting handle 7']);
  });
});

describe('dnsmasq', () => {
  it('argv: one address, the hosts file, upstreams only when not internal', () => {
    const base = { listen: '172.18.0.1', hostsFile: '/run/minidock/dns/x.hosts', pidFile: '/run/minidock/dns/x.pid', upstreams: ['10.255.255.53'], internal: false };
    expect(planDnsmasq(base)).toEqual([
      'dnsmasq',
      '--conf-file=/dev/null',
      '--pid-file=/run/minidock/dns/x.pid',
      '--listen-address=172.18.0.1',
      '--bind-interfaces',
      '--no-hosts',
      '--addn-hosts=/run/minidock/dns/x.hosts',
      '--no-resolv',
      '--domain-needed',
      '--no-negcache',
      '--local-ttl=0',
      '--server=10.255.255.53',
    ]);
    const internal = planDnsmasq({ ...base, upstreams: [], internal: true });
    expect(internal).toContain('--local=/#/');
    expect(internal.some((a) => a.startsWith('--server'))).toBe(false);
    expect(hostUpstreams('# x\nnameserver 127.0.0.53\nnameserver fe80::1\nsearch lan\nnameserver 10.0.0.1\n')).toEqual(['127.0.0.53', '10.0.0.1']);
  });
  it('hosts file: running containers only, name, aliases, short id, name.network', () => {
    const ep = (name: string, ip: string, active: boolean, aliases: string[] = []) => ({ Name: name, EndpointID: '', MacAddress: '', IPv4Address: `${ip}/16`, Aliases: aliases, IPAMConfig: null, Active: active });
    const net = { Name: 'app', Endpoints: { [A]: ep('web', '172.18.0.2', true, ['www']), [N]: ep('db', '172.18.0.3', false) } } as unknown as NetworkRecord;
    expect(renderDnsHosts(net)).toBe(`172.18.0.2\tweb www aaaaaaaaaaaa web.app\n`);
  });
});
