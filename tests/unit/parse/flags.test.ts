// --restart, signals, Go durations, --since/--until, --filter, --add-host, --security-opt,
// capabilities. Messages follow docker 28.2 / moby.
import { describe, expect, it } from 'vitest';
import { parseReference } from '../../../src/image/reference.js';
import {
  capabilityMask,
  DEFAULT_CAPABILITIES,
  effectiveCapAddDrop,
  normalizeCapability,
  resolveCapabilities,
} from '../../../src/runtime/capabilities.js';
import { formatGoDuration, parseGoDuration } from '../../../src/cli/parse/duration.js';
import {
  CONTAINER_LIST_FILTERS,
  familiarMatch,
  fuzzyMatch,
  getBool,
  IMAGE_LIST_FILTERS,
  matchLabels,
  parseFilters,
  regexMatch,
  validateContainerFilterValues,
  validateFilters,
} from '../../../src/cli/parse/filter.js';
import { parseAddHost } from '../../../src/cli/parse/hosts.js';
import { pathMatch } from '../../../src/cli/parse/pathmatch.js';
import { checkRestartWithAutoRemove, parseRestartPolicy } from '../../../src/cli/parse/restart.js';
import { parseSecurityOpts } from '../../../src/cli/parse/security-opt.js';
import { parseSignal, signalName } from '../../../src/cli/parse/signal.js';
import { parseTimestamp } from '../../../src/cli/parse/timestamp.js';

describe('--restart', () => {
  it.each([
    ['', 'no', 0], ['no', 'no', 0], ['always', 'always', 0], ['unless-stopped', 'unless-stopped', 0],
    ['on-failure', 'on-failure', 0], ['on-failure:3', 'on-failure', 3],
  ])('%j', (v, name, n) => expect(parseRestartPolicy(v)).toEqual({ Name: name, MaximumRetryCount: n }));
  it.each([
    ['on-failure:x', 'invalid restart policy format: maximum retry count must be an integer'],
    [':3', 'invalid restart policy format: no policy provided before colon'],
    ['foo', "invalid restart policy: unknown policy 'foo'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"],
    ['always:3', "invalid restart policy: maximum retry count can only be used with 'on-failure'"],
    ['always:-1', "invalid restart policy: maximum retry count can only be used with 'on-failure' and cannot be negative"],
    ['on-failure:-1', 'invalid restart policy: maximum retry count cannot be negative'],
  ])('rejects %j', (v, msg) => expect(() => parseRestartPolicy(v)).toThrow(msg));
  it('conflicts with --rm', () => {
    expect(() => checkRestartWithAutoRemove(parseRestartPolicy('always'), true)).toThrow(
      'conflicting options: cannot specify both --restart and --rm',
    );
    expect(() => checkRestartWithAutoRemove(parseRestartPolicy('no'), true)).not.toThrow();
  });
});

describe('signals', () => {
  it.each([
    ['SIGTERM', 15], ['TERM', 15], ['term', 15], ['15', 15], ['KILL', 9], ['sigkill', 9], ['SIGRTMIN+3', 37],
    ['RTMAX-1', 63], ['SIGCHLD', 17], ['64', 64], ['SIGWINCH', 28],
  ])('%s = %d', (s, n) => expect(parseSignal(s)).toBe(n));
  it.each([['FOO'], ['0'], ['65'], ['-1'], [''], ['SIG']])('rejects %j', (s) => expect(() => parseSignal(s)).toThrow(`Invalid signal: ${s}`));
  it('names signals as docker stores them', () => {
    expect(signalName(15)).toBe('SIGTERM');
    expect(signalName(17)).toBe('SIGCHLD');
    expect(signalName(6)).toBe('SIGABRT');
    expect(signalName(37)).toBe('SIGRTMIN+3');
  });
});

describe('Go durations', () => {
  it.each([
    ['10s', 10_000_000_000n], ['1m30s', 90_000_000_000n], ['500ms', 500_000_000n], ['1.5h', 5_400_000_000_000n],
    ['0', 0n], ['-2m', -120_000_000_000n], ['1us', 1000n], ['1µs', 1000n], ['.5s', 500_000_000n], ['1h2m3.5s', 3_723_500_000_000n],
  ])('%s', (s, ns) => expect(parseGoDuration(s)).toBe(ns));
  it.each([
    ['1x', 'time: unknown unit "x" in duration "1x"'],
    ['1', 'time: missing unit in duration "1"'],
    ['', 'time: invalid duration ""'],
    ['s', 'time: invalid duration "s"'],
    ['1.s.', 'time: invalid duration "1.s."'],
  ])('rejects %j', (s, msg) => expect(() => parseGoDuration(s)).toThrow(msg));
  it.each([
    [0n, '0s'], [1_500_000_000n, '1.5s'], [90_000_000_000n, '1m30s'], [3_600_000_000_000n, '1h0m0s'], [500_000_000n, '500ms'],
    [1500n, '1.5µs'], [-2_000_000_000n, '-2s'],
  ])('formats %d as %s', (ns, s) => expect(formatGoDuration(ns)).toBe(s));
});

describe('--since / --until', () => {
  const now = Date.UTC(2023, 10, 14, 22, 13, 20, 500); // 2023-11-14T22:13:20.5Z
  const opts = { nowMs: now, localOffsetMinutes: 60 };
  it.each([
    ['10m', 1_699_999_400_000_000_000n],
    ['1700000000', 1_700_000_000_000_000_000n],
    ['1700000000.123', 1_700_000_000_123_000_000n],
    ['1700000000.000000001', 1_700_000_000_000_000_001n],
    ['2023-11-14T22:13:20Z', 1_700_000_000_000_000_000n],
    ['2023-11-14T22:13:20.25Z', 1_700_000_000_250_000_000n],
    ['2023-11-14T23:13:20+01:00', 1_700_000_000_000_000_000n],
    ['2023-11-14T23:13:20', 1_700_000_000_000_000_000n], // local zone (+01:00 here)
    ['2023-11-14T23', 1_699_999_200_000_000_000n],
    ['2023-11-14', 1_699_916_400_000_000_000n],
    ['2023-11-14Z', 1_699_920_000_000_000_000n],
    ['0', 0n],
  ])('%s', (v, ns) => expect(parseTimestamp(v, opts)).toBe(ns));
  it('rejects what is neither', () => {
    expect(() => parseTimestamp('yesterday', opts)).toThrow('failed to parse value as time or duration: "yesterday"');
    expect(() => parseTimestamp('2023-13-01', opts)).toThrow('parsing time "2023-13-01"');
  });
});

describe('--filter', () => {
  it('collects values per lower-cased, trimmed key', () => {
    const f = parseFilters(['label=a', ' Label = b ', 'status=running', '', 'label=a']);
    expect([...f.entries()].map(([k, v]) => [k, [...v]])).toEqual([
      ['label', ['a', 'b']],
      ['status', ['running']],
    ]);
    expect(() => parseFilters(['foo'])).toThrow('bad format of filter (expected name=value)');
  });
  it('validates keys and values per command', () => {
    expect(() => validateFilters(parseFilters(['foo=bar']), CONTAINER_LIST_FILTERS)).toThrow("invalid filter 'foo'");
    expect(() => validateFilters(parseFilters(['reference=busy*']), IMAGE_LIST_FILTERS)).not.toThrow();
    expect(() => validateContainerFilterValues(parseFilters(['status=foo']))).toThrow("invalid filter 'status=foo'");
    expect(() => validateContainerFilterValues(parseFilters(['health=ok']))).toThrow("invalid filter 'health=ok'");
    expect(() => validateContainerFilterValues(parseFilters(['exited=x']))).toThrow(
      `invalid filter 'exited=x': strconv.Atoi: parsing "x": invalid syntax`,
    );
    expect(() => validateContainerFilterValues(parseFilters(['status=exited', 'exited=0', 'is-task=true']))).not.toThrow();
  });
  it('matches like the daemon', () => {
    const f = parseFilters(['label=app', 'label=env=prod', 'name=^web', 'id=3f2a', 'dangling=true']);
    expect(matchLabels(f, 'label', { app: 'x', env: 'prod' })).toBe(true);
    expect(matchLabels(f, 'label', { app: 'x', env: 'dev' })).toBe(false);
    expect(matchLabels(f, 'label', {})).toBe(false);
    expect(matchLabels(f, 'nolabel', {})).toBe(true);
    expect(regexMatch(f, 'name', 'web-1')).toBe(true);
    expect(regexMatch(f, 'name', 'my-web')).toBe(false);
    expect(fuzzyMatch(f, 'id', '3f2a0b1c')).toBe(true);
    expect(fuzzyMatch(f, 'id', 'ab')).toBe(false);
    expect(getBool(f, 'dangling', false)).toBe(true);
    expect(() => getBool(parseFilters(['dangling=maybe']), 'dangling', false)).toThrow("invalid filter 'dangling=maybe'");
  });
  it.each([
    ['foo', 'foo/**/ba[rz]', false],
    ['foo/any/bat', 'foo/**/ba[rz]', false],
    ['foo/a/bar', 'foo/**/ba[rz]', true],
    ['foo/c/baz:tag', 'foo/**/ba[rz]', true],
    ['foo/c/baz:tag', 'foo/*/baz:tag', true],
    ['example.com/foo/c/baz:tag', '*/foo/c/baz', true],
    ['example.com/foo/c/baz:tag', 'example.com/foo/c/baz', true],
    ['busybox:latest', 'busy*', true],
    ['busybox:latest', 'busybox:l?test', true],
    ['busybox:latest', '*:1.*', false],
    ['library/foo/bar', 'foo*', false],
  ])('reference=%s matches %s: %s', (ref, pattern, expected) => {
    expect(familiarMatch(pattern, parseReference(ref))).toBe(expected);
  });
  it('path.Match classes, escapes and errors', () => {
    expect(pathMatch('[^a-c]x', 'dx')).toBe(true);
    expect(pathMatch('[^a-c]x', 'bx')).toBe(false);
    expect(pathMatch('a\\*b', 'a*b')).toBe(true);
    expect(pathMatch('a\\*b', 'axb')).toBe(false);
    expect(pathMatch('a?c', 'a/c')).toBe(false);
    expect(() => pathMatch('[-x]', 'foo')).toThrow('syntax error in pattern');
    expect(() => pathMatch('[]', 'x')).toThrow('syntax error in pattern');
    expect(() => pathMatch('a\\', 'a')).toThrow('syntax error in pattern');
  });
});

describe('--add-host', () => {
  it.each([
    ['myhost:1.2.3.4', 'myhost:1.2.3.4'],
    ['myhost=1.2.3.4', 'myhost:1.2.3.4'],
    ['v6:::1', 'v6:::1'],
    ['v6=[2001:db8::1]', 'v6:2001:db8::1'],
    ['v6:[::ffff:1.2.3.4]', 'v6:::ffff:1.2.3.4'],
    ['gw:host-gateway', 'gw:host-gateway'],
  ])('%s', (v, out) => expect(parseAddHost(v)).toBe(out));
  it.each([
    ['foo', 'bad format for add-host: "foo"'],
    [':1.2.3.4', 'bad format for add-host: ":1.2.3.4"'],
    ['foo:1.2.3', 'invalid IP address in add-host: "1.2.3"'],
    ['a:b:c', 'invalid IP address in add-host: "b:c"'],
    ['a:01.2.3.4', 'invalid IP address in add-host: "01.2.3.4"'],
  ])('rejects %s', (v, msg) => expect(() => parseAddHost(v)).toThrow(msg));
});

describe('--security-opt', () => {
  it('reads the options docker knows', () => {
    expect(parseSecurityOpts(['no-new-privileges'])).toEqual({ noNewPrivileges: true, labels: [] });
    expect(parseSecurityOpts(['no-new-privileges=false', 'apparmor=unconfined', 'label=disable', 'seccomp=unconfined'])).toEqual({
      noNewPrivileges: false,
      apparmor: 'unconfined',
      labels: ['disable'],
      seccomp: { kind: 'unconfined' },
    });
    expect(parseSecurityOpts(['seccomp=/tmp/p.json', 'label:type:svirt_t']).seccomp).toEqual({ kind: 'file', path: '/tmp/p.json' });
    expect(parseSecurityOpts(['label:type:svirt_t']).labels).toEqual(['type:svirt_t']);
  });
  it.each([
    ['foo', 'Invalid --security-opt: "foo"'],
    ['label', 'Invalid --security-opt: "label"'],
    ['seccomp=', 'Invalid --security-opt: "seccomp="'],
    ['no-new-privileges=maybe', 'invalid --security-opt 2: "no-new-privileges=maybe"'],
    ['foo=bar', 'invalid --security-opt 2: "foo=bar"'],
  ])('rejects %s', (v, msg) => expect(() => parseSecurityOpts([v])).toThrow(msg));
});

describe('capabilities', () => {
  it('docker default set is CapEff 00000000a80425fb', () => {
    expect(capabilityMask(DEFAULT_CAPABILITIES)).toBe('00000000a80425fb');
    expect(capabilityMask(resolveCapabilities({}))).toBe('00000000a80425fb');
  });
  it('normalises names', () => {
    expect(normalizeCapability('net_admin')).toBe('CAP_NET_ADMIN');
    expect(normalizeCapability(' CAP_NET_ADMIN ')).toBe('CAP_NET_ADMIN');
    expect(normalizeCapability('all')).toBe('ALL');
    expect(effectiveCapAddDrop(['net_admin', 'CAP_SYS_TIME', 'chown'], ['CHOWN', 'kill'])).toEqual({
      add: ['CAP_CHOWN', 'CAP_NET_ADMIN', 'CAP_SYS_TIME'],
      drop: ['CAP_KILL'],
    });
  });
  it('adds, drops, ALL and privileged', () => {
    const added = resolveCapabilities({ add: ['NET_ADMIN'], drop: ['NET_RAW'] });
    expect(added).toContain('CAP_NET_ADMIN');
    expect(added).not.toContain('CAP_NET_RAW');
    expect(capabilityMask(added)).toBe((0xa80425fbn - (1n << 13n) + (1n << 12n)).toString(16).padStart(16, '0'));
    expect(resolveCapabilities({ drop: ['ALL'], add: ['chown'] })).toEqual(['CAP_CHOWN']);
    expect(resolveCapabilities({ drop: ['all'] })).toEqual([]);
    expect(resolveCapabilities({ add: ['ALL'], drop: ['SYS_ADMIN'] })).toHaveLength(40);
    expect(capabilityMask(resolveCapabilities({ privileged: true }))).toBe('000001ffffffffff');
    expect(capabilityMask(resolveCapabilities({ privileged: true, lastCap: 37 }))).toBe('0000003fffffffff');
    expect(() => resolveCapabilities({ add: ['FOO'] })).toThrow('unknown capability: "CAP_FOO"');
  });
});
