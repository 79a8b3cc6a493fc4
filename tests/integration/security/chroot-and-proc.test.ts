// Attacks 2 and 3: leaving the root by path. The classic chroot(2) breakout with the
// default CAP_SYS_CHROOT (chroot into a subdirectory, keep the cwd outside it, climb `..`,
// chroot(".")), and the magic links of /proc (/proc/1/root, /proc/self/root,
// /proc/PID/cwd) with `..` after them: all must stay in the container, where the marker
// file is, and never reach a canary file on the host.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecurityRoot, isRoot } from './helpers.js';

describe.skipIf(!isRoot)('path escapes (attacks 2, 3)', () => {
  let t: SecurityRoot;
  let canary = '';
  let running = '';
  beforeAll(async () => {
    t = new SecurityRoot('chroot');
    canary = join(t.canary('chroot'), 'keep');
    await t.image('probe');
    running = String((await t.ok(['run', '-d', 'probe', 'sleep', '60'])).stdout).trim();
  });
  afterAll(async () => {
    if (t) expect(await t.finish()).toEqual([]);
  });

  it('the chroot trick with CAP_SYS_CHROOT stays inside (run and exec)', async () => {
    for (const args of [['run', '--rm', 'probe'], ['exec', running]]) {
      const out = String((await t.ok([...args, '/probe', 'chroot-escape', '/container-marker', canary])).stdout);
      expect(out, args[0]).toContain('marker visible');
      expect(out, args[0]).toContain('canary absent');
    }
  });

  it('/proc/1/root, /proc/self/root and /proc/PID/cwd lead only into the container (run and exec)', async () => {
    // `..` after a magic link, and a cd into it, must stop at the container's root too.
    const script = [
      'cd /tmp',
      'for p in /proc/1/root /proc/self/root /proc/1/cwd /proc/self/cwd /proc/$$/root /proc/$$/cwd; do',
      '  for q in "$p" "$p/.." "$p/../../.." "$p/proc/1/root/../.."; do',
      '    [ -e "$q/container-marker" ] && echo "marker $q"',
      '    [ -e "$q$CANARY" ] && echo "CANARY $q"',
      '  done',
      'done',
      'cd /proc/1/root/../../.. && [ -e "./container-marker" ] && echo "cd-marker $(pwd)"',
      '[ -e "/proc/1/root$CANARY" ] && echo "CANARY direct"',
      'true',
    ].join('\n');
    for (const args of [['run', '--rm', '-e', `CANARY=${canary}`, 'probe'], ['exec', '-e', `CANARY=${canary}`, running]]) {
      const out = String((await t.ok([...args, 'sh', '-c', script])).stdout);
      expect(out, args[0]).not.toContain('CANARY');
      // the root links (and `..` from them) all show the container's root
      for (const p of ['/proc/1/root', '/proc/self/root', '/proc/1/root/../../..']) expect(out, `${args[0]} ${p}`).toContain(`marker ${p}\n`);
      expect(out, args[0]).toContain('cd-marker /');
    }
  });

  it('exec processes have the container\'s root and a cwd inside it, even when minidock runs from a host directory', async () => {
    const dir = t.canary('exec-cwd');
    const out = String((await t.runIn(dir, ['exec', running, 'sh', '-c', '/probe cwd; ls -A; ls -A /proc/self/cwd/; [ -e keep ] && echo HOST-CWD; true'])).stdout);
    expect(out).toMatch(/^cwd \/\n/);
    expect(out).toContain('container-marker');
    expect(out).not.toContain('HOST-CWD');
  });
});
