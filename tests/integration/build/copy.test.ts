// COPY and ADD: ownership (--chown names from the image's /etc/passwd), --chmod, destination
// rules, wildcards, symlinked destinations inside the image, heredocs, archives extracted by
// ADD, ADD of an http URL, and sources that try to leave the context.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isRoot } from '../../helpers/cli.js';
import { BuildRoot } from './helpers.js';

describe.skipIf(!isRoot)('COPY and ADD', () => {
  let root: BuildRoot;
  beforeEach(async () => {
    root = new BuildRoot('build-copy');
    await root.importBusybox();
  });
  afterEach(() => root.cleanup());

  it('--chown takes names from the image, --chmod sets modes, context files are root-owned', async () => {
    const ctx = root.context({
      Dockerfile: `FROM busybox
COPY plain.txt /plain.txt
COPY --chown=app:staff dir /owned/
COPY --chown=1000 --chmod=0750 plain.txt /numeric
COPY --chmod=u=rwx,go=r plain.txt /symbolic
`,
      'plain.txt': { content: 'p', mode: 0o600 },
      'dir/a': 'a',
      'dir/sub/b': 'b',
    });
    const id = await root.buildId(ctx);
    expect(await root.sh(id, 'stat -c "%n %U:%G %a" /plain.txt /owned /owned/a /owned/sub /owned/sub/b /numeric /symbolic')).toBe(
      ['/plain.txt root:root 600', '/owned app:staff 755', '/owned/a app:staff 644', '/owned/sub app:staff 755', '/owned/sub/b app:staff 644', '/numeric app:app 750', '/symbolic root:root 744', ''].join('\n'),
    );
    const bad = await root.build(root.context({ Dockerfile: 'FROM busybox\nCOPY --chown=ghost f /f\n', f: 'x' }));
    expect(bad.exitCode).toBe(1);
    expect(String(bad.stderr)).toContain("can't find uid for user ghost");
  });

  it('follows docker destination rules and resolves symlinks inside the image', async () => {
    const ctx = root.context({
      Dockerfile: [
        'FROM busybox',
        'RUN mkdir -p /run && ln -s /run /var/run && mkdir /existing',
        'WORKDIR /work',
        'COPY a.txt b.txt /multi/',
        'COPY a.txt renamed',
        'COPY a.txt /existing',
        'COPY dir /contents',
        'COPY dir/ /contents-too/',
        'COPY *.txt /globbed/',
        'COPY *.none /nothing/',
        'COPY a.txt /var/run/a.txt',
        'COPY --exclude=*.md --exclude=sub dir2 /excl/',
        'COPY <<HERE /heredoc.txt',
        'hello $NOT_SET',
        'HERE',
        '',
      ].join('\n'),
      'a.txt': 'A',
      'b.txt': 'B',
      'dir/inner': 'I',
      'dir2/a.md': 'md',
      'dir2/keep.txt': 'k',
      'dir2/sub/x': 'x',
      'dir2/deep/b.md': 'md',
    });
    const id = await root.buildId(ctx);
    const out = await root.sh(id, 'cd / && ls /multi /work /existing /contents /contents-too /globbed && cat /run/a.txt && echo && cat /heredoc.txt && test -L /var/run && test ! -e /nothing');
    expect(out).toBe('/contents:\ninner\n\n/contents-too:\ninner\n\n/existing:\na.txt\n\n/globbed:\na.txt\nb.txt\n\n/multi:\na.txt\nb.txt\n\n/work:\nrenamed\nA\nhello \n');
    // Patterns match as in .dockerignore: *.md only at the top, sub with everything below it.
    expect(await root.sh(id, 'cd /excl && find . | sort')).toBe('.\n./deep\n./deep/b.md\n./keep.txt\n');
    const multi = await root.build(root.context({ Dockerfile: 'FROM busybox\nCOPY a b /nodir\n', a: '', b: '' }));
    expect(multi.exitCode).toBe(1);
    expect(String(multi.stderr)).toContain('When using COPY with more than one source file, the destination must be a directory and end with a /');
  });

  it('refuses sources outside the context: .., absolute symlinks and symlinks that climb out', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'minidock-outside-'));
    try {
      writeFileSync(join(outside, 'secret'), 'secret');
      const cases: [string, Record<string, string | { symlink: string }>][] = [
        ['COPY ../secret /x', {}],
        ['COPY link /x', { link: { symlink: join(outside, 'secret') } }],
        ['COPY dir/up/secret /x', { 'dir/up': { symlink: `../../${outside.split('/').pop()}` } }],
      ];
      for (const [line, extra] of cases) {
        const r = await root.build(root.context({ Dockerfile: `FROM busybox\n${line}\n`, ...extra }));
        expect(r.exitCode, line).toBe(1);
        expect(String(r.stderr), line).toContain('forbidden path outside the build context');
      }
      // A symlink inside a copied directory is copied as a symlink, not followed.
      const id = await root.buildId(root.context({ Dockerfile: 'FROM busybox\nCOPY d /d\n', 'd/l': { symlink: join(outside, 'secret') } }));
      expect(await root.sh(id, 'readlink /d/l; cat /d/l 2>&1 || true')).toBe(`${join(outside, 'secret')}\ncat: can't open '/d/l': No such file or directory\n`);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('ADD extracts local tar archives (plain, gzip, bzip2, xz) and keeps their owners', async () => {
    const src = mkdtempSync(join(tmpdir(), 'minidock-tarsrc-'));
    try {
      mkdirSync(join(src, 'pkg/bin'), { recursive: true });
      writeFileSync(join(src, 'pkg/bin/tool'), 'tool');
      const ctx = root.context({ Dockerfile: 'FROM busybox\nADD a.tar /plain/\nADD a.tar.gz /gz/\nADD a.tar.bz2 /bz/\nADD a.tar.xz /xz/\nADD --unpack=false a.tar.gz /kept/\nCOPY a.tar /copied/\n' });
      const tar = (out: string, flag?: string) =>
        execFileSync('tar', ['-c', ...(flag ? [flag] : []), '-f', join(ctx, out), '--owner=1000', '--group=50', '--numeric-owner', '-C', src, 'pkg']);
      tar('a.tar');
      tar('a.tar.gz', '-z');
      tar('a.tar.bz2', '-j');
      tar('a.tar.xz', '-J');
      const id = await root.buildId(ctx);
      expect(await root.sh(id, 'cat /plain/pkg/bin/tool /gz/pkg/bin/tool /bz/pkg/bin/tool /xz/pkg/bin/tool; echo; stat -c "%u:%g" /gz/pkg/bin/tool; ls /kept /copied')).toBe(
        'tooltooltooltool\n1000:50\n/copied:\na.tar\n\n/kept:\na.tar.gz\n',
      );
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
  });

  describe('ADD of a URL', () => {
    let server: Server;
    let base: string;
    let body = 'remote v1\n';
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/missing') {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'Last-Modified': 'Wed, 01 Jan 2020 00:00:00 GMT' }).end(body);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('downloads with mode 0600, names it after the URL, and rebuilds when the content changes', async () => {
      body = 'remote v1\n';
      const ctx = root.context({ Dockerfile: `FROM busybox\nADD ${base}/files/remote.txt /dl/\nADD ${base}/files/other /named\n` });
      const id = await root.buildId(ctx);
      expect(await root.sh(id, 'cat /dl/remote.txt; stat -c "%a %Y" /dl/remote.txt /named')).toBe('remote v1\n600 1577836800\n600 1577836800\n');
      expect(await root.buildId(ctx)).toBe(id);
      body = 'remote v2\n';
      const id2 = await root.buildId(ctx);
      expect(id2).not.toBe(id);
      expect(await root.sh(id2, 'cat /dl/remote.txt')).toBe('remote v2\n');
      const bad = await root.build(root.context({ Dockerfile: `FROM busybox\nADD ${base}/missing /x\n` }));
      expect(bad.exitCode).toBe(1);
      expect(String(bad.stderr)).toContain('invalid response status 404');
      const sum = await root.build(root.context({ Dockerfile: `FROM busybox\nADD --checksum=sha256:${'0'.repeat(64)} ${base}/f /x\n` }));
      expect(sum.exitCode).toBe(1);
      expect(String(sum.stderr)).toContain('digest mismatch');
    });

    // bin/minidock starts node without NODE_EXTRA_CA_CERTS (start-up time) and hands the
    // bundle to the downloader: a server signed by a private CA is trusted exactly when the
    // user's NODE_EXTRA_CA_CERTS names that CA.
    it('trusts the CA bundle in NODE_EXTRA_CA_CERTS for https, and only that', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'minidock-tls-'));
      const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      const { createServer: createTls } = await import('node:https');
      const { readFileSync } = await import('node:fs');
      const tls = createTls({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.writeHead(200).end('over tls\n'));
      await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
      try {
        const url = `https://127.0.0.1:${(tls.address() as { port: number }).port}/secret.txt`;
        const ctx = root.context({ Dockerfile: `FROM busybox\nADD ${url} /dl/\n` });
        const trusted = await root.build(ctx, ['-q'], { env: { NODE_EXTRA_CA_CERTS: cert } });
        expect(trusted.exitCode, String(trusted.stderr)).toBe(0);
        expect(await root.sh(String(trusted.stdout).trim(), 'cat /dl/secret.txt')).toBe('over tls\n');
        const untrusted = await root.build(ctx, ['-q', '--no-cache'], { env: { NODE_EXTRA_CA_CERTS: '' } });
        expect(untrusted.exitCode).toBe(1);
        expect(String(untrusted.stderr)).toMatch(/failed to load cache key: https:.*self[- ]signed/i);
      } finally {
        await new Promise<void>((r) => tls.close(() => r()));
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
