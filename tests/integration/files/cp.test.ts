// `minidock cp` against real containers, stopped and running: docker's path rules in both
// directions, tar on stdin/stdout, ownership with and without -a, and the escapes that
// must never work — symlinks inside the container pointing at host paths.
import { chownSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRoot } from '../../helpers/cli.js';
import { busyboxRoot, errors, isRoot, LocalDirs, makeCanary, output, runBinary, tarNames, tarOf, waitForFile } from './helpers.js';

const dirs = new LocalDirs();
let root: TestRoot;
let canary: ReturnType<typeof makeCanary>; // the container has nothing at this path
let canary2: ReturnType<typeof makeCanary>; // the container has its own directory at this path
let src: string; // local sources: f (a file), D (a directory)

function setupScript(): string {
  return [
    'set -e',
    'mkdir -p /data/sub',
    'echo one > /data/a.txt',
    'echo two > /data/sub/b.txt',
    'chown 1000:1000 /data/a.txt',
    `ln -s ${canary.dir} /out`,
    `ln -s ${canary.secret} /link`,
    `mkdir -p ${canary2.dir}`,
    `echo container > ${canary2.dir}/secret`,
    `ln -s ${canary2.dir} /out2`,
    `ln -s ${canary2.secret} /link2`,
    'ln -s /data /datalink',
    'touch /ready',
  ].join('\n');
}

beforeAll(async () => {
  root = await busyboxRoot('cp');
  canary = makeCanary(dirs);
  canary2 = makeCanary(dirs);
  src = dirs.make('src');
  writeFileSync(join(src, 'f'), 'local\n');
  mkdirSync(join(src, 'D/y'), { recursive: true });
  writeFileSync(join(src, 'D/x'), 'x\n');
  writeFileSync(join(src, 'D/y/z'), 'z\n');
  symlinkSync('f', join(src, 'lnk'));
  await root.ok(['run', '--name', 'stopped', 'busybox', 'sh', '-c', setupScript()]);
  await root.ok(['run', '-d', '--name', 'running', 'busybox', 'sh', '-c', `${setupScript()}\nexec sleep 1000`]);
  await waitForFile(root, 'running', '/ready');
});

afterAll(async () => {
  await root?.cleanup();
  dirs.cleanup();
});

/** A file's content in the container, read back with `cp … -`. */
async function readIn(name: string, path: string): Promise<string> {
  const r = await runBinary(root, ['cp', `${name}:${path}`, '-']);
  if (r.exitCode !== 0) throw new Error(`cp ${name}:${path} - failed: ${r.stderr}`);
  return execFileSync('tar', ['-x', '-O', '-f', '-'], { input: r.stdout }).toString();
}

/** `uid/gid` of an entry in the container (GNU tar's listing of `cp … -`). */
async function ownerIn(name: string, path: string): Promise<string> {
  const r = await runBinary(root, ['cp', `${name}:${path}`, '-']);
  return execFileSync('tar', ['-t', '-v', '--numeric-owner', '-f', '-'], { input: r.stdout }).toString().split(/\s+/)[1];
}

describe.runIf(isRoot).concurrent.each(['stopped', 'running'])('cp with a %s container', (name) => {
  describe('out of the container', () => {
    it('copies a file to a new name, and into an existing directory', async () => {
      const L = dirs.make();
      await root.ok(['cp', `${name}:/data/a.txt`, join(L, 'new.txt')]);
      await root.ok(['cp', `${name}:data/a.txt`, `${L}/`]);
      expect(readFileSync(join(L, 'new.txt'), 'utf8')).toBe('one\n');
      expect(readFileSync(join(L, 'a.txt'), 'utf8')).toBe('one\n');
    });

    it('copies a directory: to a new name, into a directory, or its contents with /.', async () => {
      const L = dirs.make();
      mkdirSync(join(L, 'e'));
      await root.ok(['cp', `${name}:/data`, join(L, 'd1')]);
      await root.ok(['cp', `${name}:/data`, L]);
      await root.ok(['cp', `${name}:/data/.`, join(L, 'e')]);
      expect(readFileSync(join(L, 'd1/sub/b.txt'), 'utf8')).toBe('two\n');
      expect(readFileSync(join(L, 'data/a.txt'), 'utf8')).toBe('one\n');
      expect(readFileSync(join(L, 'e/sub/b.txt'), 'utf8')).toBe('two\n');
      expect(existsSync(join(L, 'e/data'))).toBe(false);
    });

    it('fails as docker does: missing dir with /, dir onto a file, no such file', async () => {
      const L = dirs.make();
      writeFileSync(join(L, 'file'), '');
      const noDir = await root.run(['cp', `${name}:/data/a.txt`, `${L}/missing/`]);
      expect([noDir.exitCode, errors(noDir)]).toEqual([1, 'no such directory']);
      const dirOnFile = await root.run(['cp', `${name}:/data`, join(L, 'file')]);
      expect([dirOnFile.exitCode, errors(dirOnFile)]).toEqual([1, 'cannot copy directory']);
      const missing = await root.run(['cp', `${name}:/nope`, L]);
      expect([missing.exitCode, errors(missing)]).toEqual([1, `Error response from daemon: Could not find the file /nope in container ${name}`]);
      const notDir = await root.run(['cp', `${name}:/data/a.txt/`, L]);
      expect(notDir.exitCode).toBe(1);
      expect(errors(notDir)).toMatch(/not a directory/);
      const badOut = await root.run(['cp', `${name}:/data/a.txt`, join(L, 'nope/deeper')]);
      expect(errors(badOut)).toBe(`invalid output path: directory "${join(L, 'nope')}" does not exist`);
    });

    it('streams a tar to stdout with `-`', async () => {
      const r = await runBinary(root, ['cp', `${name}:/data`, '-']);
      expect(r.exitCode).toBe(0);
      expect(tarNames(r.stdout)).toEqual(['data/', 'data/a.txt', 'data/sub/', 'data/sub/b.txt']);
      expect(tarNames((await runBinary(root, ['cp', `${name}:/data/.`, '-'])).stdout)).toContain('./sub/b.txt');
    });

    it('gives files to the invoking user, or keeps the container\'s owner with -a', async () => {
      const L = dirs.make();
      await root.ok(['cp', `${name}:/data/a.txt`, join(L, 'o1')]);
      await root.ok(['cp', '-a', `${name}:/data/a.txt`, join(L, 'o2')]);
      expect(lstatSync(join(L, 'o1')).uid).toBe(0);
      expect([lstatSync(join(L, 'o2')).uid, lstatSync(join(L, 'o2')).gid]).toEqual([1000, 1000]);
    });
  });

  describe('into the container', () => {
    it('copies a file to a new name and into a directory', async () => {
      await root.ok(['cp', join(src, 'f'), `${name}:/data/new1`]);
      await root.ok(['cp', join(src, 'f'), `${name}:/data/sub/`]);
      expect(await readIn(name, '/data/new1')).toBe('local\n');
      expect(await readIn(name, '/data/sub/f')).toBe('local\n');
    });

    it('copies a directory to a new name, into a directory, and its contents with /.', async () => {
      await root.ok(['cp', join(src, 'D'), `${name}:/newdir`]);
      await root.ok(['cp', join(src, 'D'), `${name}:/data`]);
      await root.ok(['cp', `${join(src, 'D')}/.`, `${name}:/data/sub`]);
      expect(await readIn(name, '/newdir/y/z')).toBe('z\n');
      expect(await readIn(name, '/data/D/x')).toBe('x\n');
      expect(await readIn(name, '/data/sub/y/z')).toBe('z\n');
    });

    it('fails as docker does: missing dir with /, dir onto a file, missing local source', async () => {
      const noDir = await root.run(['cp', join(src, 'f'), `${name}:/nodir/`]);
      expect([noDir.exitCode, errors(noDir)]).toEqual([1, 'no such directory']);
      const dirOnFile = await root.run(['cp', join(src, 'D'), `${name}:/data/a.txt`]);
      expect(errors(dirOnFile)).toBe('cannot copy directory');
      const noSrc = await root.run(['cp', join(src, 'nope'), `${name}:/data`]);
      expect(errors(noSrc)).toBe(`lstat ${join(src, 'nope')}: no such file or directory`);
      const both = await root.run(['cp', `${name}:/a`, `${name}:/b`]);
      expect(errors(both)).toBe('copying between containers is not supported');
      const neither = await root.run(['cp', 'a', 'b']);
      expect(errors(neither)).toBe('must specify at least one container source');
    });

    it('extracts a tar from stdin into a directory, and only into a directory', async () => {
      const r = await runBinary(root, ['cp', '-', `${name}:/data`], tarOf(join(src, 'D'), 'x', 'y'));
      expect([r.exitCode, r.stderr]).toEqual([0, '']);
      expect(await readIn(name, '/data/y/z')).toBe('z\n');
      const bad = await runBinary(root, ['cp', '-', `${name}:/data/a.txt`], tarOf(join(src, 'D'), 'x'));
      expect([bad.exitCode, bad.stderr.trim()]).toEqual([1, `destination "${name}:/data/a.txt" must be a directory`]);
    });

    it('makes files root\'s unless -a keeps their uid/gid', async () => {
      const own = join(dirs.make(), 'owned');
      writeFileSync(own, 'owned\n');
      chownSync(own, 1234, 4321);
      await root.ok(['cp', own, `${name}:/data/own1`]);
      await root.ok(['cp', '-a', own, `${name}:/data/own2`]);
      expect(await ownerIn(name, '/data/own1')).toBe('0/0');
      expect(await ownerIn(name, '/data/own2')).toBe('1234/4321');
    });

    it('copies a local symlink as a symlink, or what it points to with -L', async () => {
      await root.ok(['cp', join(src, 'lnk'), `${name}:/data/lnk1`]);
      await root.ok(['cp', '-L', join(src, 'lnk'), `${name}:/data/lnk2`]);
      const listing = (path: string) => runBinary(root, ['cp', `${name}:${path}`, '-']).then((r) => execFileSync('tar', ['-t', '-v', '-f', '-'], { input: r.stdout }).toString());
      expect(await listing('/data/lnk1')).toMatch(/^l.* lnk1 -> f\n$/);
      expect(await readIn(name, '/data/lnk2')).toBe('local\n');
    });

    it('follows a symlinked directory inside the container, from the container\'s root', async () => {
      await root.ok(['cp', join(src, 'f'), `${name}:/datalink/vialink`]);
      expect(await readIn(name, '/data/vialink')).toBe('local\n');
    });
  });

  describe('symlinks to host paths stay in the container', () => {
    it('never writes through /out -> host canary: missing in the container, it fails', async () => {
      const r = await root.run(['cp', join(src, 'f'), `${name}:/out/x`]);
      expect(r.exitCode).toBe(1);
      expect(errors(r)).toBe(`Error response from daemon: Could not find the file /out in container ${name}`);
      const viaParent = await root.run(['cp', join(src, 'D'), `${name}:/out/`]);
      expect(viaParent.exitCode).toBe(1);
      expect(canary.untouched()).toBe(true);
    });

    it('writes into the container\'s own directory when it has one at that path', async () => {
      await root.ok(['cp', join(src, 'f'), `${name}:/out2/x`]);
      await root.ok(['cp', join(src, 'D'), `${name}:/out2`]);
      expect(canary2.untouched()).toBe(true);
      expect(await readIn(name, `${canary2.dir}/x`)).toBe('local\n');
      expect(await readIn(name, `${canary2.dir}/D/x`)).toBe('x\n');
    });

    it('copies a symlink out as a symlink, and with -L the container\'s file, never the host\'s', async () => {
      const L = dirs.make();
      await root.ok(['cp', `${name}:/link`, join(L, 'l1')]);
      expect(lstatSync(join(L, 'l1')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(L, 'l1'))).toBe(canary.secret);
      const follow = await root.run(['cp', '-L', `${name}:/link`, join(L, 'l2')]);
      expect(errors(follow)).toBe(`Error response from daemon: Could not find the file /link in container ${name}`);
      expect(existsSync(join(L, 'l2'))).toBe(false);
      await root.ok(['cp', '-L', `${name}:/link2`, join(L, 'l3')]);
      expect(readFileSync(join(L, 'l3'), 'utf8')).toBe('container\n');
      await root.ok(['cp', `${name}:/../../../..${canary2.secret}`, join(L, 'l4')]);
      expect(readFileSync(join(L, 'l4'), 'utf8')).toBe('container\n');
      expect(tarNames((await runBinary(root, ['cp', `${name}:/link`, '-'])).stdout)).toEqual(['link']);
    });
  });

  afterAll(async () => {
    // Whatever was copied, the container's own state is as it was.
    const status = output(await root.ok(['inspect', '-f', '{{.State.Status}}', name])).trim();
    expect(status).toBe(name === 'running' ? 'running' : 'exited');
  });
});

describe.runIf(isRoot)('cp and the container\'s state', () => {
  it('a running container is frozen only while copying; a paused one stays paused', async () => {
    await root.ok(['cp', join(src, 'f'), 'running:/tmp/live']);
    expect(output(await root.ok(['exec', 'running', 'cat', '/tmp/live']))).toBe('local\n');
    await root.ok(['pause', 'running']);
    try {
      await root.ok(['cp', join(src, 'f'), 'running:/tmp/paused']);
      expect(output(await root.ok(['inspect', '-f', '{{.State.Status}}', 'running'])).trim()).toBe('paused');
    } finally {
      await root.ok(['unpause', 'running']);
    }
    expect(output(await root.ok(['exec', 'running', 'cat', '/tmp/paused']))).toBe('local\n');
  });

  it('writes into a stopped container\'s upper dir the way overlayfs sees it', async () => {
    const script = 'if [ -e /ran ]; then ls -A /home; ls -ld /var/www | cut -c1-10; ls /var/www; else rm -rf /home /etc/group; touch /ran; fi';
    await root.ok(['run', '--name', 'wh', 'busybox', 'sh', '-c', script]);
    // Reading the layers: a whiteout hides the image's file.
    const gone = await root.run(['cp', 'wh:/etc/group', dirs.make()]);
    expect(errors(gone)).toBe('Error response from daemon: Could not find the file /etc/group in container wh');
    await root.ok(['cp', join(src, 'D'), 'wh:/home']); // where a deleted directory was: opaque
    await root.ok(['cp', join(src, 'f'), 'wh:/var/www/']); // below directories only the image has
    expect(tarNames((await runBinary(root, ['cp', 'wh:/home', '-'])).stdout)).toEqual(['home/', 'home/x', 'home/y/', 'home/y/z']);
    const r = await root.ok(['start', '-a', 'wh']);
    expect(output(r)).toBe('x\ny\ndrwxr-xr-x\nf\n');
    // A directory copied up into the upper dir keeps the image's owner (/home/app is app's).
    await root.ok(['cp', join(src, 'f'), 'stopped:/home/app/']);
    expect(await ownerIn('stopped', '/home/app')).toBe('1000/1000');
  });

  it('honours volumes, read-only volumes and a read-only rootfs', async () => {
    await root.ok(['create', '--name', 'vols', '-v', 'filesvol:/vol', '-v', 'filesro:/ro:ro', 'busybox']);
    await root.ok(['cp', join(src, 'f'), 'vols:/vol/']);
    expect(output(await root.ok(['run', '--rm', '-v', 'filesvol:/v', 'busybox', 'cat', '/v/f']))).toBe('local\n');
    const ro = await root.run(['cp', join(src, 'f'), 'vols:/ro/']);
    expect(errors(ro)).toBe('Error response from daemon: mounted volume is marked read-only');
    await root.ok(['create', '--name', 'rofs', '--read-only', 'busybox']);
    const rofs = await root.run(['cp', join(src, 'f'), 'rofs:/tmp/']);
    expect(errors(rofs)).toBe('Error response from daemon: container rootfs is marked read-only');
  });
});
