// bin/minidock, the sh launcher: finds its own install through symlinks and relative paths
// (MINIDOCK_BIN must be absolute: the shim's exit hook runs it from another directory), and
// drops NODE_EXTRA_CA_CERTS for commands that cannot speak TLS. A fake `node` first in PATH
// prints what the launcher handed it, so no engine runs.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const launcher = resolve(dirname(new URL(import.meta.url).pathname), '../../bin/minidock');
const repoBin = dirname(launcher);

describe('bin/minidock', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'minidock-launcher-'));
    const fake = join(dir, 'node');
    writeFileSync(fake, '#!/bin/sh\nprintf "bin=%s ca=%s args=%s\\n" "$MINIDOCK_BIN" "${NODE_EXTRA_CA_CERTS-unset}" "$*"\n');
    chmodSync(fake, 0o755);
    symlinkSync(launcher, join(dir, 'minidock'));
    env = { PATH: `${dir}:/usr/bin:/bin`, NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (cmd: string, args: string[], cwd = dir) => execFileSync(cmd, args, { cwd, env, encoding: 'utf8' }).trim();

  it.each([
    ['an absolute path', () => run(launcher, ['ps'])],
    ['a relative path', () => run('./minidock', ['ps'], repoBin)],
    ['a symlink', () => run(join(dir, 'minidock'), ['ps'])],
    ['a PATH lookup of a symlink', () => run('sh', ['-c', 'minidock ps'])],
  ])('resolves its install from %s', (_label, invoke) => {
    const out = invoke();
    expect(out).toContain(`bin=${launcher} `);
    expect(out).toMatch(/args=.*\/dist\/main\.js ps$/); // the fake node is newer than any blob
  });

  it('keeps NODE_EXTRA_CA_CERTS only for build', () => {
    expect(run(launcher, ['images'])).toContain('ca=unset');
    expect(run(launcher, ['run', '--rm', 'busybox', 'true'])).toContain('ca=unset');
    expect(run(launcher, ['build', '-t', 'x', '.'])).toContain('ca=/etc/ssl/certs/ca-certificates.crt');
    expect(run(launcher, ['--root', '/tmp/x', 'image', 'build', '.'])).toContain('ca=/etc/ssl/certs/ca-certificates.crt');
  });
});
