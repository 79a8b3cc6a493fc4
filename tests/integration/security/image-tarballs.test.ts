// Attack 8: hostile image tarballs, end to end through `import` and `load` (the unpacker's
// own rules are unit-tested in tests/unit/overlay). Modelled on the archive breakouts of
// docker and containerd: `../` names (CVE-2014-9356 family), an absolute symlink followed by
// an entry written through it (CVE-2014-6407, CVE-2018-15664's cousin at unpack time), a
// hard link to a host file (an /etc/shadow stand-in) and a hard link to a symlink that an
// entry is then written through. Nothing may be written, linked or changed outside the
// engine's root: the canary tree (and its file's link count) stays as it was, and what the
// archive wrote shows up inside the container.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecurityRoot, hostRootNames, isRoot, treeSnapshot } from './helpers.js';

interface Entry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  linkname?: string;
  body?: string | Buffer;
  mode?: number;
}

/** Just enough of a root filesystem to run `sh -c 'cat …'`: the host's static busybox. */
function busybox(): Entry[] {
  return [
    ...['bin/', 'etc/', 'proc/', 'sys/', 'dev/', 'tmp/'].map((name): Entry => ({ name, type: 'directory' })),
    { name: 'bin/busybox', body: readFileSync('/bin/busybox'), mode: 0o755 },
    ...['sh', 'cat'].map((a): Entry => ({ name: `bin/${a}`, type: 'symlink', linkname: 'busybox' })),
  ];
}

async function tarOf(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const e of entries) {
    const type = e.type ?? 'file';
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name: e.name, type, linkname: e.linkname, mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644), uid: 0, gid: 0 }, type === 'file' ? (e.body ?? '') : '', (err) => (err ? reject(err) : resolve())),
    );
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A docker-save archive of one image with one layer. */
async function dockerSave(tag: string, layer: Buffer): Promise<Buffer> {
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layer)}`] },
  }));
  const configName = `${sha256(config)}.json`;
  const manifest = JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: ['layer/layer.tar'] }]);
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  pack.entry({ name: 'layer/layer.tar' }, layer);
  pack.entry({ name: configName }, config);
  pack.entry({ name: 'manifest.json' }, manifest);
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

describe.skipIf(!isRoot)('hostile image tarballs (attack 8)', () => {
  let t: SecurityRoot;
  let canary = '';
  let shadow = '';
  let snapshot: Record<string, string> = {};
  let rootNames: string[] = [];
  beforeAll(async () => {
    t = new SecurityRoot('tarball');
    canary = t.canary('host');
    shadow = join(canary, 'shadow');
    writeFileSync(shadow, 'root:$6$secret:19000:0:99999:7:::\n', { mode: 0o600 });
    snapshot = treeSnapshot(canary);
    rootNames = hostRootNames();
  });
  afterAll(async () => {
    if (t) expect(await t.finish()).toEqual([]);
  });

  const hostUntouched = (what: string) => {
    expect(treeSnapshot(canary), what).toEqual(snapshot);
    expect(lstatSync(shadow).nlink, `${what}: link count of the host file`).toBe(1);
    expect(hostRootNames(), what).toEqual(rootNames);
  };

  const importTar = async (name: string, entries: Entry[]) => {
    const file = join(t.scratch, `${name}.tar`);
    writeFileSync(file, await tarOf(entries));
    return t.run(['import', '--change', 'CMD ["sh"]', file, name]);
  };

  it('`../` entries are refused, nothing lands outside', async () => {
    const up = '../'.repeat(12);
    for (const [i, name] of [`${up}${canary.slice(1)}/evil`, `a/${up}${canary.slice(1)}/evil`, `./../evil`].entries()) {
      const r = await importTar(`dotdot${i}`, [{ name: 'a/', type: 'directory' }, { name, body: 'pwned\n' }]);
      expect(r.exitCode, name).not.toBe(0);
      expect(String(r.stderr), name).toContain('outside the destination');
      hostUntouched(name);
    }
  });

  it('hard links to a host file are refused (absolute or `../`), the file keeps one link', async () => {
    for (const [i, linkname] of [shadow, `${'../'.repeat(12)}${shadow.slice(1)}`].entries()) {
      const r = await importTar(`hardlink${i}`, [{ name: 'stolen', type: 'link', linkname }]);
      expect(r.exitCode, linkname).not.toBe(0);
      hostUntouched(linkname);
    }
  });

  const throughLinks = (): Entry[] => [
    // an absolute symlink to the host canary, then an entry written through it
    { name: 'escape', type: 'symlink', linkname: canary },
    { name: 'escape/through-link', body: 'written through a symlink\n' },
    { name: 'escape/newdir/deep', body: 'deep\n' },
    // a symlink to the host's shadow stand-in, a hard link to the symlink, then both written as files
    { name: 's', type: 'symlink', linkname: shadow },
    { name: 'h', type: 'link', linkname: 's' },
    { name: 'h', body: 'replaced h\n' },
    { name: 's', body: 'replaced s\n' },
    // an absolute entry name
    { name: `${canary}/absolute`, body: 'absolute name\n' },
  ];
  const inside = () => `cat ${canary}/through-link ${canary}/newdir/deep /h /s ${canary}/absolute`;
  const EXPECTED = 'written through a symlink\ndeep\nreplaced h\nreplaced s\nabsolute name\n';

  it('import: writes through an absolute symlink and a linked symlink stay inside the image', async () => {
    const r = await importTar('links', [...busybox(), ...throughLinks()]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    hostUntouched('import');
    const out = await t.ok(['run', '--rm', 'links', 'sh', '-c', inside()]);
    expect(String(out.stdout)).toBe(EXPECTED);
    hostUntouched('run of the imported image');
  });

  it('load: the same layer in a docker-save archive stays inside too', async () => {
    const file = join(t.scratch, 'saved.tar');
    writeFileSync(file, await dockerSave('loaded:latest', await tarOf([...busybox(), ...throughLinks()])));
    await t.ok(['load', '-i', file]);
    hostUntouched('load');
    const out = await t.ok(['run', '--rm', 'loaded', 'sh', '-c', inside()]);
    expect(String(out.stdout)).toBe(EXPECTED);
    hostUntouched('run of the loaded image');
  });
});
