// Tables from distribution/reference (reference_test.go, normalize_test.go) plus cases checked
// against the docker 28.2 CLI (`docker pull <ref>` prints the parse error before connecting).
import { describe, expect, it } from 'vitest';
import {
  isFullImageId,
  looksLikeIdPrefix,
  parseAnyReference,
  parseReference,
  parseStrict,
} from '../../src/image/reference.js';

const F64 = 'f'.repeat(64);
const D256 = `sha256:${F64}`;

describe('parseStrict (reference.Parse)', () => {
  const valid: [input: string, name: string, domain: string, tag?: string, digest?: string][] = [
    ['test_com', 'test_com', ''],
    ['test.com:tag', 'test.com', '', 'tag'],
    ['test.com:5000', 'test.com', '', '5000'],
    ['test.com/repo:tag', 'test.com/repo', 'test.com', 'tag'],
    ['test:5000/repo', 'test:5000/repo', 'test:5000'],
    ['test:5000/repo:tag', 'test:5000/repo', 'test:5000', 'tag'],
    [`test:5000/repo@${D256}`, 'test:5000/repo', 'test:5000', undefined, D256],
    [`test:5000/repo:tag@${D256}`, 'test:5000/repo', 'test:5000', 'tag', D256],
    ['lowercase:Uppercase', 'lowercase', '', 'Uppercase'],
    ['sub-dom1.foo.com/bar/baz/quux', 'sub-dom1.foo.com/bar/baz/quux', 'sub-dom1.foo.com'],
    ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', 'sub-dom1.foo.com/bar/baz/quux', 'sub-dom1.foo.com', 'some-long-tag'],
    ['b.gcr.io/test.example.com/my-app:test.example.com', 'b.gcr.io/test.example.com/my-app', 'b.gcr.io', 'test.example.com'],
    ['xn--n3h.com/myimage:xn--n3h.com', 'xn--n3h.com/myimage', 'xn--n3h.com', 'xn--n3h.com'],
    [`xn--7o8h.com/myimage:xn--7o8h.com@sha512:${'f'.repeat(128)}`, 'xn--7o8h.com/myimage', 'xn--7o8h.com', 'xn--7o8h.com', `sha512:${'f'.repeat(128)}`],
    ['foo_bar.com:8080', 'foo_bar.com', '', '8080'],
    ['foo/foo_bar.com:8080', 'foo/foo_bar.com', 'foo', '8080'],
    ['192.168.1.1', '192.168.1.1', ''],
    ['192.168.1.1:tag', '192.168.1.1', '', 'tag'],
    ['192.168.1.1:5000', '192.168.1.1', '', '5000'],
    ['192.168.1.1/repo', '192.168.1.1/repo', '192.168.1.1'],
    ['192.168.1.1:5000/repo', '192.168.1.1:5000/repo', '192.168.1.1:5000'],
    ['192.168.1.1:5000/repo:5050', '192.168.1.1:5000/repo', '192.168.1.1:5000', '5050'],
    ['[2001:db8::1]/repo', '[2001:db8::1]/repo', '[2001:db8::1]'],
    ['[2001:db8:1:2:3:4:5:6]/repo:tag', '[2001:db8:1:2:3:4:5:6]/repo', '[2001:db8:1:2:3:4:5:6]', 'tag'],
    ['[2001:db8::1]:5000/repo', '[2001:db8::1]:5000/repo', '[2001:db8::1]:5000'],
    ['[2001:db8::1]:5000/repo:tag', '[2001:db8::1]:5000/repo', '[2001:db8::1]:5000', 'tag'],
    [`[2001:db8::1]:5000/repo@${D256}`, '[2001:db8::1]:5000/repo', '[2001:db8::1]:5000', undefined, D256],
    ['[2001:db8::]:5000/repo', '[2001:db8::]:5000/repo', '[2001:db8::]:5000'],
    ['[::1]:5000/repo', '[::1]:5000/repo', '[::1]:5000'],
  ];
  it.each(valid)('%s', (input, name, domain, tag, digest) => {
    const ref = parseStrict(input);
    expect(ref.toString()).toBe(input);
    expect(ref.name).toBe(name);
    expect(ref.domain).toBe(domain);
    expect(ref.tag).toBe(tag);
    expect(ref.digest).toBe(digest);
  });

  const bad: [string, string][] = [
    ['', 'repository name must have at least one component'],
    [':justtag', 'invalid reference format'],
    [`@${D256}`, 'invalid reference format'],
    ['repo@sha256:ffffffffffffffffffffffffffffffffff', 'invalid checksum digest length'],
    [`validname@invaliddigest:${F64}`, 'unsupported digest algorithm'],
    ['Uppercase:tag', 'repository name must be lowercase'],
    ['test:5000/Uppercase/lowercase:tag', 'repository name must be lowercase'],
    ['aa/asdf$$^/aa', 'invalid reference format'],
    ['[2001:db8::1]', 'invalid reference format'],
    ['[2001:db8::1]:5000', 'invalid reference format'],
    ['[2001:db8::1]:tag', 'invalid reference format'],
    ['[fe80::1%eth0]:5000/repo', 'invalid reference format'],
    ['[fe80::1%@invalidzone]:5000/repo', 'invalid reference format'],
    [`x.com/${'a/'.repeat(128)}a`, 'repository name must not be more than 255 characters'],
  ];
  it.each(bad)('rejects %j', (input, message) => {
    expect(() => parseStrict(input)).toThrow(message);
  });

  it('limits the path, not the whole name, to 255 characters', () => {
    const path = `${'a/'.repeat(127)}a`; // 255 characters
    expect(parseStrict(`x.com/${path}`).path).toBe(path);
  });
});

describe('parseReference (ParseNormalizedNamed)', () => {
  const cases: [input: string, full: string, familiar: string, domain: string, path: string][] = [
    ['busybox', 'docker.io/library/busybox', 'busybox', 'docker.io', 'library/busybox'],
    ['fooo/bar', 'docker.io/fooo/bar', 'fooo/bar', 'docker.io', 'fooo/bar'],
    ['index.docker.io/fooo/bar', 'docker.io/fooo/bar', 'fooo/bar', 'docker.io', 'fooo/bar'],
    ['library/ubuntu', 'docker.io/library/ubuntu', 'ubuntu', 'docker.io', 'library/ubuntu'],
    ['docker.io/foo', 'docker.io/library/foo', 'foo', 'docker.io', 'library/foo'],
    ['docker.io/library/foo/bar', 'docker.io/library/foo/bar', 'library/foo/bar', 'docker.io', 'library/foo/bar'],
    ['store/foo/bar', 'docker.io/store/foo/bar', 'store/foo/bar', 'docker.io', 'store/foo/bar'],
    ['other/library', 'docker.io/other/library', 'other/library', 'docker.io', 'other/library'],
    ['127.0.0.1:8000/private/moonbase', '127.0.0.1:8000/private/moonbase', '127.0.0.1:8000/private/moonbase', '127.0.0.1:8000', 'private/moonbase'],
    ['example.com/privatebase', 'example.com/privatebase', 'example.com/privatebase', 'example.com', 'privatebase'],
    ['example.com:8000/private/moonbase', 'example.com:8000/private/moonbase', 'example.com:8000/private/moonbase', 'example.com:8000', 'private/moonbase'],
    ['library/ubuntu-12.04-base', 'docker.io/library/ubuntu-12.04-base', 'ubuntu-12.04-base', 'docker.io', 'library/ubuntu-12.04-base'],
    ['localhost/x', 'localhost/x', 'localhost/x', 'localhost', 'x'],
    ['localhost:5000/a/b', 'localhost:5000/a/b', 'localhost:5000/a/b', 'localhost:5000', 'a/b'],
    ['test_com/foo', 'docker.io/test_com/foo', 'test_com/foo', 'docker.io', 'test_com/foo'],
    ['xn--n3h.com:18080/foo', 'xn--n3h.com:18080/foo', 'xn--n3h.com:18080/foo', 'xn--n3h.com:18080', 'foo'],
    // An uppercase first element can only be a registry host (normalize.go).
    ['Foo/bar', 'Foo/bar', 'Foo/bar', 'Foo', 'bar'],
    ['FOO/bar', 'FOO/bar', 'FOO/bar', 'FOO', 'bar'],
    [`docker.io/${'1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a'}`, 'docker.io/library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a', '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a', 'docker.io', 'library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a'],
    ['[fc00::1]:5000/docker', '[fc00::1]:5000/docker', '[fc00::1]:5000/docker', '[fc00::1]:5000', 'docker'],
  ];
  it.each(cases)('%s', (input, full, familiar, domain, path) => {
    const ref = parseReference(input);
    expect(ref.name).toBe(full);
    expect(ref.familiarName).toBe(familiar);
    expect(ref.domain).toBe(domain);
    expect(ref.path).toBe(path);
  });

  it('normalises busybox to docker.io/library/busybox:latest', () => {
    const ref = parseReference('busybox').withDefaultTag();
    expect(ref.toString()).toBe('docker.io/library/busybox:latest');
    expect(ref.familiarString()).toBe('busybox:latest');
  });

  it('keeps tag and digest together, and dockerRef keeps only the digest', () => {
    const short = 'busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa';
    const ref = parseReference(short);
    expect(ref.toString()).toBe(`docker.io/library/${short}`);
    expect(ref.familiarString()).toBe(short);
    expect(ref.withDefaultTag()).toBe(ref);
    expect(ref.dockerRef().toString()).toBe(
      'docker.io/library/busybox@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa',
    );
  });

  it('does not add a tag to a digested reference', () => {
    const ref = parseReference(`redis@${D256}`).withDefaultTag();
    expect(ref.toString()).toBe(`docker.io/library/redis@${D256}`);
  });

  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/busybox:latest', 'docker.io/library/busybox:latest'],
    ['gcr.io/library/busybox', 'gcr.io/library/busybox:latest'],
    [`gcr.io/library/busybox:latest@${D256}`, `gcr.io/library/busybox@${D256}`],
  ])('dockerRef(%s) = %s', (input, expected) => {
    expect(parseReference(input).dockerRef().toString()).toBe(expected);
  });

  const invalidNames: [string, string][] = [
    ['https://github.com/docker/docker', 'invalid reference format'],
    ['docker/Docker', 'invalid reference format: repository name (docker/Docker) must be lowercase'],
    ['Busybox', 'invalid reference format: repository name (library/Busybox) must be lowercase'],
    ['UPPER:tag', 'invalid reference format: repository name (library/UPPER) must be lowercase'],
    ['-docker', 'invalid reference format'],
    ['-docker/docker', 'invalid reference format'],
    ['-docker.io/docker/docker', 'invalid reference format'],
    ['docker///docker', 'invalid reference format'],
    ['docker.io/docker/Docker', 'must be lowercase'],
    ['[fc00::1]', 'invalid reference format'],
    ['[fc00::1]:5000', 'invalid reference format'],
    ['fc00::1:5000/debian', 'invalid reference format'],
    ['[2001:db8:3:4::192.0.2.33]:5000/debian', 'invalid reference format'],
    ['docker-/docker', 'invalid reference format'],
    ['____/____', 'invalid reference format'],
    ['dock..er/docker', 'invalid reference format'],
    ['dock_.er/docker', 'invalid reference format'],
    ['docker/', 'invalid reference format'],
    ['', 'invalid reference format'],
    ['a:b:c', 'invalid reference format'],
    ['busybox:-x', 'invalid reference format'],
    ['bb@sha256:abc', 'invalid reference format'],
    [`bb@sha256:${'F'.repeat(64)}`, 'invalid checksum digest format'],
    ['bb@md5:ffffffffffffffffffffffffffffffff', 'unsupported digest algorithm'],
    [`${'a/'.repeat(128)}a:tag`, 'repository name must not be more than 255 characters'],
    [
      '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
      'invalid repository name (1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a), cannot specify 64-byte hexadecimal strings',
    ],
  ];
  it.each(invalidNames)('rejects %j', (input, message) => {
    expect(() => parseReference(input)).toThrow(message);
  });

  it('throws MinidockError of kind invalid', () => {
    try {
      parseReference('Busybox');
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ kind: 'invalid', exitCode: 1 });
    }
  });

  it.each([
    'docker/docker',
    'debian',
    'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
    'docker-rules/docker',
    'docker---rules/docker',
    'd/docker',
    'jess/t',
    'dock__er/docker',
    '192.168.0.1:80',
    '192.168.0.1:8/debian',
    '[fc00:1:2:3:4:5:6:7]:5000/library/debian',
    'sha256:' + F64, // a name `sha256` with a 64-character tag, as docker reads it
  ])('accepts %s', (input) => {
    expect(() => parseReference(input)).not.toThrow();
  });
});

describe('withTag / withDigest', () => {
  it('validates the tag', () => {
    expect(parseReference('busybox').withTag('TAG5').familiarString()).toBe('busybox:TAG5');
    expect(() => parseReference('busybox').withTag('-foo')).toThrow('invalid tag format');
    expect(() => parseReference('busybox').withTag('a'.repeat(129))).toThrow('invalid tag format');
  });
  it('validates the digest and keeps the tag', () => {
    const ref = parseStrict('test.com:8000/foo').withDigest('sha256:1234567890098765432112345667890098765');
    expect(ref.withTag('TAG5').toString()).toBe('test.com:8000/foo:TAG5@sha256:1234567890098765432112345667890098765');
    expect(() => parseReference('busybox').withDigest('foo')).toThrow('invalid digest format');
  });
  it('repository() drops tag and digest', () => {
    expect(parseReference(`a/b:1@${D256}`).repository().toString()).toBe('docker.io/a/b');
  });
});

describe('IDs', () => {
  it.each([
    ['dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c', 'id', 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c'],
    ['sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c', 'id', 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c'],
    ['dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9', 'name', 'docker.io/library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9'],
    ['dbcc1', 'name', 'docker.io/library/dbcc1'],
    ['redis:latest', 'name', 'docker.io/library/redis:latest'],
  ])('parseAnyReference(%s) is a %s', (input, kind, str) => {
    const r = parseAnyReference(input);
    expect(r.kind).toBe(kind);
    expect(r.kind === 'id' ? r.digest : r.ref.toString()).toBe(str);
  });

  it('tells ID prefixes from names', () => {
    expect(looksLikeIdPrefix('3f2a')).toBe(true);
    expect(looksLikeIdPrefix(`sha256:${F64}`)).toBe(true);
    expect(looksLikeIdPrefix('busybox')).toBe(false);
    expect(looksLikeIdPrefix('3F2A')).toBe(false);
    expect(looksLikeIdPrefix('')).toBe(false);
    expect(looksLikeIdPrefix('f'.repeat(65))).toBe(false);
    expect(isFullImageId(F64)).toBe(true);
    expect(isFullImageId(`sha256:${F64}`)).toBe(true);
    expect(isFullImageId('f'.repeat(63))).toBe(false);
  });
});
