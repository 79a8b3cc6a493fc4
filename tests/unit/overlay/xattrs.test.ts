import { describe, expect, it } from 'vitest';
import { parseDump, quoteDumpText, renderRestore, unquoteDumpText, xattrPolicy } from '../../../src/overlay/xattrs.js';

describe('xattr policy', () => {
  it.each([
    ['user.mime_type', 'keep'],
    ['security.capability', 'keep'],
    ['trusted.md5', 'keep'],
    ['system.posix_acl_access', 'keep'],
    ['trusted.overlay.opaque', 'overlay-internal'],
    ['trusted.overlay.redirect', 'overlay-internal'],
    ['security.selinux', 'host-label'],
    ['security.ima', 'host-label'],
  ])('%s: %s', (name, want) => {
    expect(xattrPolicy(name)).toBe(want);
  });
});

describe('dump format quoting (attr tools)', () => {
  it.each([
    ['plain/path', 'plain/path'],
    ['with space', 'with space'],
    ['new\nline', 'new\\012line'],
    ['back\\slash', 'back\\134slash'],
    ['tab\there', 'tab\\011here'],
    ['ünï', 'ünï'],
  ])('%j <-> %j', (raw, quoted) => {
    expect(quoteDumpText(raw)).toBe(quoted);
    expect(unquoteDumpText(quoted)).toBe(raw);
  });

  it('quotes = in names, as getfattr does', () => {
    expect(quoteDumpText('user.a=b', '=')).toBe('user.a\\075b');
  });

  it('reads escaped UTF-8 bytes back whole', () => {
    expect(unquoteDumpText('\\303\\274')).toBe('ü');
  });
});

describe('renderRestore / parseDump', () => {
  it('renders blocks per file with base64 values, which parseDump reads back', () => {
    const text = renderRestore([
      { path: 'usr/bin/ping', name: 'security.capability', value: Buffer.from([1, 0, 0, 2, 0, 0x20, 0, 0]) },
      { path: 'usr/bin/ping', name: 'user.x', value: Buffer.alloc(0) },
      { path: 'odd\nname', name: 'user.a=b', value: Buffer.from('v') },
    ]);
    expect(text).toBe(
      '# file: usr/bin/ping\nsecurity.capability=0sAQAAAgAgAAA=\nuser.x=0s\n\n# file: odd\\012name\nuser.a\\075b=0sdg==\n',
    );
    const parsed = parseDump(text);
    expect([...parsed.keys()]).toEqual(['usr/bin/ping', 'odd\nname']);
    expect(parsed.get('usr/bin/ping')?.get('security.capability')).toEqual(Buffer.from([1, 0, 0, 2, 0, 0x20, 0, 0]));
    expect(parsed.get('odd\nname')?.get('user.a=b')).toEqual(Buffer.from('v'));
  });

  it('reads getfattr output: ./ prefixes, the root as ".", text and hex values', () => {
    const parsed = parseDump('# file: .\ntrusted.overlay.opaque="y"\n\n# file: ./a b\nuser.h=0x6869\nuser.t="q\\134"\n');
    expect(parsed.get('')?.get('trusted.overlay.opaque')).toEqual(Buffer.from('y'));
    expect(parsed.get('a b')?.get('user.h')).toEqual(Buffer.from('hi'));
    expect(parsed.get('a b')?.get('user.t')).toEqual(Buffer.from('q\\'));
  });
});
