// What a container sees of the host: its own hostname, its command as PID 1, only its own
// processes and files, its own root; a file written in one container is not in another of
// the same image; --read-only and --tmpfs.
import { spawn } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupRoot, expectExit, isRoot, newRoot, out, type TestRoot } from './helpers.js';

describe.skipIf(!isRoot).concurrent('isolation', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await newRoot('rt-isolation');
  });
  afterAll(async () => {
    await cleanupRoot(root);
  });

  it('the hostname is the short container ID, or --hostname', async () => {
    const id = await out(root, ['create', 'busybox', 'hostname']);
    const r = await expectExit(root, ['start', '-a', id], 0);
    expect(String(r.stdout).trim(), `hostname inside container ${id}`).toBe(id.slice(0, 12));

    const named = await expectExit(root, ['run', '--rm', '--hostname', 'web-1', 'busybox', 'sh', '-c', 'hostname; cat /etc/hostname; echo $HOSTNAME'], 0);
    expect(String(named.stdout), 'hostname, /etc/hostname and $HOSTNAME').toBe('web-1\nweb-1\nweb-1\n');
  });

  it('/dev is the minimal skeleton, from one shared copy per root unless a mount lands in /dev', async () => {
    const listing = 'ls -A /dev | tr "\\n" " "; for l in fd stdout ptmx; do readlink /dev/$l; done | tr "\\n" " "';
    const shared = await expectExit(root, ['run', '--rm', 'busybox', 'sh', '-c', listing], 0);
    expect(String(shared.stdout)).toBe('core fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero /proc/self/fd /proc/self/fd/1 pts/ptmx ');
    expect(readdirSync(join(root.dir, 'dev-skeleton')).sort()).toEqual(['core', 'fd', 'full', 'mqueue', 'null', 'ptmx', 'pts', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'urandom', 'zero']);
    // a mount target under /dev is made in a skeleton of the container's own, never in the shared one
    const own = await expectExit(root, ['run', '--rm', '--tmpfs', '/dev/extra', 'busybox', 'sh', '-c', listing], 0);
    expect(String(own.stdout)).toBe('core extra fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero /proc/self/fd /proc/self/fd/1 pts/ptmx ');
    expect(readdirSync(join(root.dir, 'dev-skeleton'))).not.toContain('extra');
  });

  it('PID 1 is the container\'s command', async () => {
    const r = await expectExit(root, ['run', '--rm', 'busybox', 'sh', '-c', 'tr "\\0" " " < /proc/1/cmdline; echo; ps -o pid,args; echo $$'], 0);
    const lines = String(r.stdout).split('\n');
    expect(lines[0], `/proc/1/cmdline\n${r.stdout}`).toBe('sh -c tr "\\0" " " < /proc/1/cmdline; echo; ps -o pid,args; echo $$ ');
    expect(lines.at(-2), `$$ of the shell\n${r.stdout}`).toBe('1');
    expect(String(r.stdout), 'ps shows PID 1 as sh').toMatch(/^\s*1 sh -c /m);
  });

  it('host processes are invisible: ps shows only the container\'s own', async () => {
    // A host process with a recognisable command line, killed by PID in finally.
    const marker = `${Math.floor(Math.random() * 1e6) + 1000}.5`;
    const host = spawn('sleep', [marker], { stdio: 'ignore' });
    try {
      const r = await expectExit(root, ['run', '--rm', 'busybox', 'sh', '-c', 'ps -o pid,args; ls /proc | grep -c "^[0-9]"'], 0);
      const text = String(r.stdout);
      expect(text, `the host's "sleep ${marker}" must not be listed`).not.toContain(marker);
      const psLines = text.split('\n').filter((l) => /^\s*\d+ /.test(l));
      // sh (PID 1), ps, and at most the subshell of the pipe
      expect(psLines.length, text).toBeLessThanOrEqual(3);
      expect(Number(text.trim().split('\n').at(-1)), `number of PIDs in /proc\n${text}`).toBeLessThanOrEqual(4);
    } finally {
      host.kill('SIGKILL');
    }
  });

  it('host files are invisible and /proc/1/root is the container\'s own root', async () => {
    const marker = `/tmp/minidock-rt-marker-${process.pid}-${Date.now()}`;
    writeFileSync(marker, 'host secret\n');
    try {
      const r = await expectExit(root, ['run', '--rm', 'busybox', 'sh', '-c', `test -e ${marker} && echo visible || echo absent; ls /proc/1/root/; test -e /proc/1/root${marker} && echo visible-root || echo absent-root; cat /proc/1/root/etc/passwd | grep -c '^app:'; readlink /proc/1/root`], 0);
      expect(String(r.stdout), 'the host marker file').toMatch(/^absent\n/);
      expect(String(r.stdout), 'the host marker through /proc/1/root').toContain('absent-root\n');
      // the image's own tree (busybox has /bin/busybox and a user app) through /proc/1/root
      expect(String(r.stdout), 'ls /proc/1/root').toMatch(/\bbin\b[\s\S]*\betc\b/);
      expect(String(r.stdout), '/proc/1/root/etc/passwd is the image\'s').toContain('\n1\n/\n');
    } finally {
      rmSync(marker, { force: true });
    }
  });

  it('a file written in one container is absent from another of the same image', async () => {
    const a = await out(root, ['run', '-d', 'busybox', 'sh', '-c', 'echo from-a > /etc/written-by-a; touch /root-file-a; sleep 30']);
    await expectExit(root, ['exec', a, 'cat', '/etc/written-by-a'], 0);
    const b = await expectExit(root, ['run', '--rm', 'busybox', 'sh', '-c', 'ls /etc/written-by-a /root-file-a 2>&1; echo done'], 0);
    expect(String(b.stdout), 'the other container\'s files').not.toMatch(/^\/etc\/written-by-a$/m);
    expect(String(b.stdout)).toMatch(/No such file or directory[\s\S]*No such file or directory/);
    // ...and a new container of the image does not see them after the first exits either
    await expectExit(root, ['rm', '-f', a], 0);
    const c = await expectExit(root, ['run', '--rm', 'busybox', 'test', '-e', '/etc/written-by-a'], 1);
    expect(c.exitCode, 'test -e in a third container').toBe(1);
  });

  it('--read-only refuses writes to / but a --tmpfs is writable', async () => {
    const r = await expectExit(root, ['run', '--rm', '--read-only', '--tmpfs', '/run', 'busybox', 'sh', '-c', 'touch /x 2>&1; echo "root=$?"; echo ok > /run/y && cat /run/y; touch /etc/z 2>&1; echo "etc=$?"; grep " /run " /proc/mounts'], 0);
    const text = String(r.stdout);
    expect(text, 'touch /x').toMatch(/Read-only file system\nroot=1\n/);
    expect(text, 'write to /run').toContain('ok\n');
    expect(text, 'touch /etc/z').toMatch(/etc=1\n/);
    expect(text, '/run is a tmpfs').toMatch(/^tmpfs \/run tmpfs rw/m);
    const rw = await expectExit(root, ['run', '--rm', 'busybox', 'sh', '-c', 'touch /x && echo written'], 0);
    expect(String(rw.stdout), 'without --read-only').toBe('written\n');
  });
});
