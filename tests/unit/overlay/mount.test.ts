import { describe, expect, it } from 'vitest';
import { MinidockError } from '../../../src/errors.js';
import { MOUNT_OPTIONS_MAX, planOverlayMount, type OverlayLayout } from '../../../src/overlay/mount.js';
import { pathsFor } from '../../../src/paths.js';

const paths = pathsFor('/var/lib/minidock');
const hex = (i: number) => i.toString(16).padStart(64, 'a');
/** Snapshot fs dirs as the store lays them out, top-most first (snapshots/<hex>/fs). */
const layers = (n: number) => Array.from({ length: n }, (_, i) => `${paths.snapshot(`sha256:${hex(n - 1 - i)}`)}/fs`);
const container = paths.container(hex(999));

function layout(n: number, extra: Partial<OverlayLayout> = {}): OverlayLayout {
  return {
    lowerDirs: layers(n),
    upperDir: `${container}/upper`,
    workDir: `${container}/work`,
    target: `${container}/rootfs`,
    ...extra,
  };
}

const FIXED = 'index=off,redirect_dir=off,metacopy=off';

describe('planOverlayMount', () => {
  it('uses absolute paths when they fit', () => {
    const plan = planOverlayMount(layout(2, { source: 'minidock-3f2a' }));
    expect(plan).toEqual({
      argv: [
        'mount',
        '-t',
        'overlay',
        '-o',
        `lowerdir=${layers(2).join(':')},upperdir=${container}/upper,workdir=${container}/work,${FIXED}`,
        'minidock-3f2a',
        `${container}/rootfs`,
      ],
      links: [],
    });
  });

  it('switches to paths relative to the snapshots dir when absolute ones pass the page limit', () => {
    const plan = planOverlayMount(layout(40));
    const options = plan.argv[4];
    expect(plan.cwd).toBe(paths.snapshotsDir);
    expect(options.startsWith(`lowerdir=${hex(39)}/fs:${hex(38)}/fs:`)).toBe(true);
    expect(options).toContain(`,upperdir=../containers/${hex(999)}/upper,workdir=../containers/${hex(999)}/work,`);
    expect(options.length).toBeLessThanOrEqual(MOUNT_OPTIONS_MAX);
    const absolute = `lowerdir=${layers(40).join(':')},upperdir=${container}/upper,workdir=${container}/work,${FIXED}`;
    expect(absolute.length).toBeGreaterThan(MOUNT_OPTIONS_MAX); // why it switched
    expect(plan.links).toEqual([]);
  });

  it('mounts a 60-layer image through short links when even relative paths are too long', () => {
    const linkDir = `${container}/l`;
    const plan = planOverlayMount(layout(60, { linkDir }));
    const options = plan.argv[4];
    expect(plan.cwd).toBe(linkDir);
    expect(plan.links).toHaveLength(60);
    expect(plan.links[0]).toEqual({ path: `${linkDir}/0`, target: layers(60)[0] });
    expect(plan.links[59]).toEqual({ path: `${linkDir}/1n`, target: layers(60)[59] });
    const lower = /^lowerdir=([^,]*),/.exec(options)![1].split(':');
    expect(lower).toEqual(plan.links.map((l) => l.path.slice(linkDir.length + 1)));
    expect(options).toContain(',upperdir=../upper,workdir=../work,');
    expect(options.length).toBeLessThan(400);
  });

  it('refuses, with the sizes, when the options are too long and no linkDir was given', () => {
    expect(() => planOverlayMount(layout(60))).toThrow(MinidockError);
    expect(() => planOverlayMount(layout(60))).toThrow(/options for 60 layers are \d+ bytes, over the kernel's 4095/);
  });

  it('refuses more layers than overlayfs stacks, and paths it cannot express', () => {
    expect(() => planOverlayMount(layout(501, { linkDir: '/l' }))).toThrow(/overlayfs stacks at most 500/);
    expect(() => planOverlayMount({ ...layout(1), upperDir: '/var/lib/mini,dock/upper' })).toThrow(/contains , :/);
    expect(() => planOverlayMount({ ...layout(1), lowerDirs: ['/a:b'] })).toThrow(/contains , :/);
    expect(() => planOverlayMount({ ...layout(1), lowerDirs: ['relative/dir'] })).toThrow(/must be absolute/);
    expect(() => planOverlayMount({ ...layout(1), lowerDirs: [] })).toThrow(/at least one lower directory/);
  });
});
