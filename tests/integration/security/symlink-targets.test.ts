// Attack 7: symlinks where the engine mounts or writes, before the container's root is `/`
// (so the kernel would resolve an absolute link against the host's root). Modelled on the
// symlink CVEs of container runtimes: CVE-2019-19921 (runc: /proc as a symlink),
// CVE-2021-30465 (runc: a mount target swapped for a symlink inside a volume), and the
// docker cp / volume mount-point family (CVE-2018-15664, CVE-2014-6407).
// Every "host" target is a canary directory: its whole tree, and the host's `/`, must be the
// same afterwards; mounts must land inside the container.
import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecurityRoot, hostRootNames, isRoot, treeSnapshot } from './helpers.js';

describe.skipIf(!isRoot)('symlinked mount targets and kernel mount points (attack 7)', () => {
  let t: SecurityRoot;
  let canary = '';
  let snapshot: Record<string, string> = {};
  let rootNames: string[] = [];
  beforeAll(async () => {
    t = new SecurityRoot('symlink');
    canary = t.canary('host');
    mkdirSync(join(canary, 'sub'));
    writeFileSync(join(canary, 'hosts'), 'host file\n');
    snapshot = treeSnapshot(canary);
    rootNames = hostRootNames();
  });
  afterAll(async () => {
    if (t) expect(await t.finish()).toEqual([]);
  });

  /** The host did not change: the canary tree and the names in `/`. */
  const hostUntouched = (what: string) => {
    expect(treeSnapshot(canary), what).toEqual(snapshot);
    expect(hostRootNames(), what).toEqual(rootNames);
  };

  /** An image with `path` replaced by a symlink to `target`. */
  const linked = (tag: string, path: string, target: string) =>
    t.image(tag, (root) => {
      rmSync(join(root, path), { recursive: true, force: true });
      mkdirSync(join(root, path, '..'), { recursive: true });
      symlinkSync(target, join(root, path));
    });

  const mountPoints = (out: string) => out.split('\n').filter((l) => l.includes(' - ')).map((l) => l.split(' ')[4]);

  it('/etc, /etc/hosts or /var/run symlinked to a host path: the mounts land inside the container', async () => {
    const vol = join(t.scratch, 'vol');
    mkdirSync(vol);
    // (An image's /etc link is hidden by the init layer's /etc; links below it are followed,
    // inside the container.)
    const cases: [string, string, string[]][] = [
      ['etc', canary, ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf']],
      ['etc', '/', ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf']],
      ['etc/hosts', join(canary, 'hosts'), [`${canary}/hosts`]],
      ['var/run', canary, [`${canary}/x`]],
    ];
    for (const [path, target, where] of cases) {
      const tag = `link-${path.replace(/\//g, '-')}-${where.length}`;
      await linked(tag, path, target);
      const r = await t.run(['run', '--rm', '-v', `${vol}:/var/run/x`, tag, 'sh', '-c', 'cat /proc/self/mountinfo; cat /etc/hosts']);
      expect(r.exitCode, `${path} -> ${target}: ${String(r.stderr)}`).toBe(0);
      // mount points as the container sees them: inside its root, where the link leads there
      const points = mountPoints(String(r.stdout));
      for (const w of where) expect(points, `${path} -> ${target}`).toContain(w);
      expect(String(r.stdout)).toContain('localhost'); // /etc/hosts is the container's
      hostUntouched(`${path} -> ${target}`);
    }
  });

  it('a -v target below an image symlink to the host\'s / stays inside the container', async () => {
    const vol = join(t.scratch, 'vol2');
    mkdirSync(vol);
    writeFileSync(join(vol, 'in-volume'), 'x');
    await linked('data-root', 'data', '/');
    const r = await t.run(['run', '--rm', '-v', `${vol}:/data/sub-from-image`, 'data-root', 'sh', '-c', 'ls /sub-from-image']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stdout)).toContain('in-volume');
    hostUntouched('/data -> /');
  });

  it('/proc, /sys or /dev as a symlink (or a file) in the image is contained: the kernel\'s mounts land inside', async () => {
    // (Only canary targets: before the fix, `/dev -> /` copied the /dev skeleton into the host's `/`.)
    const cases: [string, string][] = [['proc', canary], ['sys', join(canary, 'sub')], ['dev', canary], ['dev', 'tmp'], ['proc', '../..']];
    for (const [i, [path, target]] of cases.entries()) {
      await linked(`kernel-${i}`, path, target);
      const r = await t.run(['run', '--rm', `kernel-${i}`, 'sh', '-c', 'cat /proc/self/mountinfo; ls -A /dev']);
      expect(r.exitCode, `/${path} -> ${target}: ${String(r.stderr)}`).toBe(0);
      const points = mountPoints(String(r.stdout));
      for (const p of ['/proc', '/sys', '/dev', '/dev/null', '/proc/sys']) expect(points, `/${path} -> ${target}`).toContain(p);
      expect(String(r.stdout)).toContain('urandom');
      hostUntouched(`/${path} -> ${target}`);
    }
    await t.image('proc-file', (root) => {
      rmSync(join(root, 'proc'), { recursive: true });
      writeFileSync(join(root, 'proc'), '');
    });
    const r = await t.run(['run', '--rm', 'proc-file', 'cat', '/proc/self/mountinfo']);
    expect(mountPoints(String(r.stdout)), String(r.stderr)).toContain('/proc');
  });

  it('a /proc or /dev symlink in the container\'s own upper dir (above the init layer) is refused', async () => {
    await t.image('probe');
    for (const name of ['proc', 'dev', 'sys']) {
      const id = String((await t.ok(['create', 'probe', 'true'])).stdout).trim();
      // what a `cp` into a stopped container or a hand-edited upper dir could leave there
      const upper = join(t.dir, 'containers', id, 'upper');
      mkdirSync(upper, { recursive: true });
      symlinkSync(canary, join(upper, name));
      const r = await t.run(['start', '-a', id]);
      expect(r.exitCode, `${name}: ${String(r.stderr)}`).toBe(125);
      expect(String(r.stderr), name).toContain(`/${name} is a symbolic link`);
      hostUntouched(`upper /${name} -> canary`);
    }
  });

  it('CVE-2021-30465-style: a symlink planted in a volume never redirects a nested mount to the host', async () => {
    await t.image('probe');
    const src = join(t.scratch, 'nested-src');
    mkdirSync(src);
    // a container plants the links in a named volume
    await t.ok(['run', '--rm', '-v', 'planted:/data', 'probe', 'sh', '-c', `ln -s ${canary} /data/sub; ln -s ${canary}/hosts /data/hosts`]);
    for (const [volumeAt, nested] of [['/data', '/data/sub/deeper'], ['/data', '/data/sub'], ['/etc', '/etc/hosts (the engine\'s own bind)']]) {
      const args = ['run', '--rm', '-v', `planted:${volumeAt}`, ...(nested.startsWith('/data') ? ['-v', `${src}:${nested}`] : []), 'probe', 'true'];
      const r = await t.run(args);
      expect(r.exitCode, `${args.join(' ')}: ${String(r.stderr)}`).toBe(125);
      expect(String(r.stderr)).toContain('is a symbolic link');
      hostUntouched(`volume link, mount at ${nested}`);
    }
    // without the links the same nested mounts work, their targets made inside the volume
    await t.ok(['run', '--rm', '-v', 'planted:/data', 'probe', 'rm', '/data/sub', '/data/hosts']);
    const ok = await t.ok(['run', '--rm', '-v', 'planted:/data', '-v', `${src}:/data/sub/deeper`, 'probe', 'sh', '-c', 'grep -c " /data/sub/deeper " /proc/self/mountinfo']);
    expect(String(ok.stdout).trim()).toBe('1');
    hostUntouched('nested mount without links');
  });

  it('mount targets through the /dev skeleton\'s links are refused (they point into /proc)', async () => {
    await t.image('probe');
    const f = join(t.scratch, 'file');
    writeFileSync(f, 'x');
    for (const target of ['/dev/stdout', '/dev/fd/5', '/dev/core']) {
      const r = await t.run(['run', '--rm', '-v', `${f}:${target}`, 'probe', 'true']);
      expect(r.exitCode, target).not.toBe(0);
      expect(String(r.stderr), target).toContain('is a symbolic link in the container');
    }
    unlinkSync(f);
  });
});
