// bin/minidock, the sh launcher: finds its own install through symlinks and relative paths
// (MINIDOCK_BIN must be absolute: the shim's exit hook runs it from another directory), and
// starts node without NODE_EXTRA_CA_CERTS (passed on for the one TLS client, ADD https://). A fake `node` first in PATH
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
    writeFileSync(fake, '#!/bin/sh\nprintf "bin=%s ca=%s md_ca=%s args=%s\\n" "$MINIDOCK_BIN" "${NODE_EXTRA_CA_CERTS-unset}" "${MINIDOCK_EXTRA_CA_CERTS-unset}" "$*"\n');
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

  it('starts node without NODE_EXTRA_CA_CERTS and hands the bundle on as MINIDOCK_EXTRA_CA_CERTS', () => {
    for (const args of [['images'], ['build', '-t', 'x', '.']]) {
      expect(run(launcher, args)).toContain('ca=unset md_ca=/etc/ssl/certs/ca-certificates.crt ');
    }
    const plain = execFileSync(launcher, ['images'], { cwd: dir, env: { PATH: env.PATH }, encoding: 'utf8' });
    expect(plain).toContain('ca=unset md_ca=unset ');
  });
});
