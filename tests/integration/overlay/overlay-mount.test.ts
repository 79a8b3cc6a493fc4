// Snapshots mounted by the kernel: a layer that deletes a file and makes a directory opaque
// must give the merged view Docker would show; changes made in the merged view must come
// back out of diffUpper as the right whiteouts; and a 60-layer image must mount.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diffUpper } from '../../../src/overlay/diff.js';
import { planOverlayMount, type OverlayLayout } from '../../../src/overlay/mount.js';
import { TarReader } from '../../../src/overlay/tar/reader.js';
import { unpackLayer } from '../../../src/overlay/unpack.js';
import { Sandbox, TeeHost, chunked, collect, craftTar, isRoot } from './helpers.js';

if (!isRoot) console.warn('tests/integration/overlay/overlay-mount.test.ts: skipped, needs root (mount -t overlay)');

function entries(tar: Buffer): string[] {
  const r = new TarReader();
  r.push(tar);
  const out: string[] = [];
  for (let ev = r.next(); ev; ev = r.next()) if (ev.kind === 'header') out.push(`${ev.header.type} ${ev.header.name}`);
  return out;
}

describe.skipIf(!isRoot)('overlay mounts of unpacked snapshots', () => {
  const box = new Sandbox();
  afterEach(() => box.cleanup());
  const host = new TeeHost();

  /** Mounts per the plan (links, cwd included) and registers the unmount. */
  async function mount(layout: OverlayLayout): Promise<string> {
    const plan = planOverlayMount(layout);
    for (const l of plan.links) symlinkSync(l.target, l.path);
    for (const d of [layout.upperDir, layout.workDir, layout.target]) mkdirSync(d, { recursive: true });
    await host.run(plan.argv, { cwd: plan.cwd, why: 'test overlay mount' });
    box.mounted(layout.target);
    return layout.target;
  }

  async function snapshot(root: string, name: string, tar: Buffer): Promise<string> {
    const dir = join(root, 'snapshots', name, 'fs');
    const r = await unpackLayer(host, chunked(tar), dir, { mode: 'overlay' });
    expect(r.warnings).toEqual([]);
    return dir;
  }

  it('shows the merged view of whiteouts and opaque dirs, and diffUpper gives back the changes made in it', async () => {
    const root = box.make();
    const base = await snapshot(
      root,
      'base',
      await craftTar([
        { name: 'etc/', type: 'directory', mode: 0o755 },
        { name: 'etc/passwd', content: 'root:x:0:0' },
        { name: 'etc/group', content: 'root:x:0:' },
        { name: 'var/cache/', type: 'directory', mode: 0o755 },
        { name: 'var/cache/a', content: 'a' },
        { name: 'var/cache/b', content: 'b' },
        { name: 'opt/app/', type: 'directory', mode: 0o755 },
        { name: 'opt/app/old', content: 'old' },
        { name: 'usr/bin/tool', content: 'tool', mode: 0o755 },
      ]),
    );
    const top = await snapshot(
      root,
      'top',
      await craftTar([
        { name: 'etc/', type: 'directory', mode: 0o755 },
        { name: 'etc/.wh.passwd', content: '' },
        { name: 'var/cache/', type: 'directory', mode: 0o755 },
        { name: 'var/cache/.wh..wh..opq', content: '' },
        { name: 'var/cache/new', content: 'new' },
      ]),
    );
    const c = join(root, 'containers', 'c1');
    const merged = await mount({ lowerDirs: [top, base], upperDir: join(c, 'upper'), workDir: join(c, 'work'), target: join(c, 'rootfs'), source: 'minidock-test' });

    expect(readdirSync(join(merged, 'etc'))).toEqual(['group']);
    expect(readdirSync(join(merged, 'var/cache'))).toEqual(['new']);
    expect(readFileSync(join(merged, 'opt/app/old'), 'utf8')).toBe('old');

    // Changes a container would make.
    writeFileSync(join(merged, 'etc/hosts'), '127.0.0.1 localhost');
    rmSync(join(merged, 'etc/group'));
    rmSync(join(merged, 'usr/bin/tool'));
    rmSync(join(merged, 'opt/app'), { recursive: true });
    mkdirSync(join(merged, 'opt/app'));
    writeFileSync(join(merged, 'opt/app/fresh'), 'fresh');
    writeFileSync(join(merged, 'var/cache/new'), 'changed');
    box.unmount(merged);

    const diff = await collect(await diffUpper(host, join(c, 'upper'), { normalize: { mtime: 1_700_000_000 } }));
    expect(entries(diff)).toEqual([
      'dir etc/',
      'file etc/.wh.group',
      'file etc/hosts',
      'dir opt/',
      'dir opt/app/',
      'file opt/app/.wh..wh..opq',
      'file opt/app/fresh',
      'dir usr/',
      'dir usr/bin/',
      'file usr/bin/.wh.tool',
      'dir var/',
      'dir var/cache/',
      'file var/cache/new',
    ]);

    // The diff as a third layer: a fresh container on all three sees the final state.
    const third = await snapshot(root, 'third', diff);
    const c2 = join(root, 'containers', 'c2');
    const view = await mount({ lowerDirs: [third, top, base], upperDir: join(c2, 'upper'), workDir: join(c2, 'work'), target: join(c2, 'rootfs') });
    expect(readdirSync(join(view, 'etc')).sort()).toEqual(['hosts']);
    expect(readdirSync(join(view, 'opt/app'))).toEqual(['fresh']);
    expect(readdirSync(join(view, 'usr/bin'))).toEqual([]);
    expect(readFileSync(join(view, 'var/cache/new'), 'utf8')).toBe('changed');
  });

  it.each([
    [40, 'relative paths from the snapshots dir', 'lowerdir=' + '0'.repeat(62) + '27/fs:'],
    [60, 'short links', 'lowerdir=0:1:2:'],
  ])('mounts a %i-layer image through %s, each layer visible', async (n, _how, optionsStart) => {
    const root = box.make();
    const snapshots = join(root, 'snapshots');
    const lowerDirs: string[] = [];
    for (let i = n - 1; i >= 0; i--) {
      const dir = join(snapshots, i.toString(16).padStart(64, '0'), 'fs');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `layer-${i}`), String(i));
      writeFileSync(join(dir, 'top'), String(i)); // the top-most layer's copy must win
      lowerDirs.push(dir);
    }
    const c = join(root, 'containers', 'f'.repeat(64));
    mkdirSync(join(c, 'l'), { recursive: true });
    const layout = { lowerDirs, upperDir: join(c, 'upper'), workDir: join(c, 'work'), target: join(c, 'rootfs'), linkDir: join(c, 'l') };
    const plan = planOverlayMount(layout);
    expect(plan.links).toHaveLength(n === 60 ? 60 : 0);
    expect(plan.argv[4].startsWith(optionsStart)).toBe(true);
    const merged = await mount(layout);
    expect(readdirSync(merged).filter((name) => name.startsWith('layer-'))).toHaveLength(n);
    expect(readFileSync(join(merged, 'top'), 'utf8')).toBe(String(n - 1));
    expect(existsSync(join(merged, 'layer-0'))).toBe(true);
    // The kernel took the relative names (it resolved them against the mount's cwd).
    expect(execFileSync('findmnt', ['-n', '-o', 'OPTIONS', merged]).toString()).toContain(optionsStart);
  });
});
