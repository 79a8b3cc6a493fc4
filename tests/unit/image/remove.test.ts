// docker's rmi rules (moby daemon/images/image_delete.go): a name is untagged and the image
// deleted only when nothing else names it; an ID deletes; conflicts with several repositories,
// containers and child images; untagged parents of a build go with their child; and blobs and
// snapshots nothing references are collected.
import { existsSync, readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainIds } from '../../../src/image/digest.js';
import { pruneImages, removeImages, type ImageUser, type RemoveEvent } from '../../../src/image/remove.js';
import type { ImageRecord } from '../../../src/image/store/store.js';
import { addImage, storeProblems, tempStore, type TempStore } from './helpers.js';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

const short = (id: string) => id.slice(7, 19);

function lines(events: RemoveEvent[]): string[] {
  return events.map((e) => ('untagged' in e ? `Untagged: ${e.untagged}` : `Deleted: ${e.deleted}`));
}

async function rmi(args: string[], opts: { force?: boolean; noPrune?: boolean; users?: Record<string, ImageUser[]>; inUse?: string[] } = {}) {
  const r = await removeImages(t.store, args, {
    force: opts.force,
    noPrune: opts.noPrune,
    usersOf: (id) => opts.users?.[id] ?? [],
    inUseChains: opts.inUse,
  });
  return { out: lines(r.events), errors: r.errors.map((e) => e.message), kinds: r.errors.map((e) => e.kind) };
}

const ids = () => t.store.list().map((r) => r.id);
const tags = () => t.store.list().flatMap((r) => r.refs);
const blobCount = () => readdirSync(t.store.engine.paths.blobsDir).length;

async function layersOf(rec: ImageRecord) {
  const m = await t.store.manifest(rec);
  const chains = chainIds((await t.store.config(rec)).rootfs.diff_ids);
  return { blobs: [rec.id, rec.manifestDigest, ...m.layers.map((l) => l.digest)], chains };
}

describe('by name', () => {
  it('untags; the image goes when its last name goes, with its blobs and snapshots', async () => {
    const img = await addImage(t.store, { refs: ['docker.io/library/busybox:latest', 'docker.io/library/busybox:1'] });
    const { blobs, chains } = await layersOf(img);
    expect(await rmi(['busybox:1'])).toEqual({ out: ['Untagged: busybox:1'], errors: [], kinds: [] });
    expect(ids()).toEqual([img.id]);
    expect(await rmi(['busybox'])).toEqual({ out: ['Untagged: busybox:latest', `Deleted: ${img.id}`, `Deleted: ${chains[0]}`], errors: [], kinds: [] });
    expect(ids()).toEqual([]);
    for (const b of blobs) expect(t.store.blobs.has(b)).toBe(false);
    expect(t.store.snapshots.list()).toEqual([]);
    expect(await storeProblems(t.store)).toEqual([]);
  });

  it('keeps layers another image still uses', async () => {
    const a = await addImage(t.store, { refs: ['docker.io/library/a:latest'] });
    const b = await addImage(t.store, { parent: a, refs: ['docker.io/library/b:latest'] });
    const before = blobCount();
    const { chains } = await layersOf(b);
    const r = await rmi(['b']);
    expect(r.out).toEqual(['Untagged: b:latest', `Deleted: ${b.id}`, `Deleted: ${chains[1]}`]);
    expect(blobCount()).toBe(before - 3); // config, manifest, the top layer
    expect(await storeProblems(t.store)).toEqual([]);
  });

  it('refuses to leave a container on a dangling image without -f', async () => {
    const img = await addImage(t.store, { refs: ['docker.io/library/busybox:latest'] });
    const users = { [img.id]: [{ id: 'c0ffee'.padEnd(64, '0'), running: false }] };
    const r = await rmi(['busybox'], { users });
    expect(r.errors).toEqual([`conflict: unable to remove repository reference "busybox" (must force) - container c0ffee000000 is using its referenced image ${short(img.id)}`]);
    expect(r.kinds).toEqual(['conflict']);
    expect(tags()).toEqual(['docker.io/library/busybox:latest']);
  });

  it('with a second name, untagging one is fine even while a container uses the image', async () => {
    const img = await addImage(t.store, { refs: ['docker.io/library/busybox:latest', 'docker.io/library/other:latest'] });
    const r = await rmi(['other'], { users: { [img.id]: [{ id: 'a'.repeat(64), running: true }] } });
    expect(r.out).toEqual(['Untagged: other:latest']);
  });

  it('-f with a stopped container: untags and deletes the image; its snapshots stay for the container', async () => {
    const img = await addImage(t.store, { refs: ['docker.io/library/busybox:latest'] });
    const { chains } = await layersOf(img);
    const r = await rmi(['busybox'], { force: true, users: { [img.id]: [{ id: 'b'.repeat(64), running: false }] }, inUse: chains });
    expect(r.out).toEqual(['Untagged: busybox:latest', `Deleted: ${img.id}`]);
    expect(t.store.snapshots.has(chains[0])).toBe(true);
  });

  it('-f with a running container: only untags', async () => {
    const img = await addImage(t.store, { refs: ['docker.io/library/busybox:latest'] });
    const r = await rmi(['busybox'], { force: true, users: { [img.id]: [{ id: 'b'.repeat(64), running: true }] } });
    expect(r).toEqual({ out: ['Untagged: busybox:latest'], errors: [], kinds: [] });
    expect(ids()).toEqual([img.id]);
  });

  it('an unknown name is docker’s not-found error, and other arguments still run', async () => {
    await addImage(t.store, { refs: ['docker.io/library/busybox:latest'] });
    const r = await rmi(['nope', 'busybox', 'Bad']);
    expect(r.errors).toEqual(['No such image: nope:latest', 'invalid reference format: repository name (library/Bad) must be lowercase']);
    expect(r.kinds).toEqual(['not-found', 'invalid']);
    expect(r.out[0]).toBe('Untagged: busybox:latest');
  });
});

describe('by ID', () => {
  it('one name: untags it and deletes the image', async () => {
    const img = await addImage(t.store, { refs: ['docker.io/library/busybox:latest'] });
    const r = await rmi([short(img.id)]);
    expect(r.out.slice(0, 2)).toEqual(['Untagged: busybox:latest', `Deleted: ${img.id}`]);
    expect(ids()).toEqual([]);
  });

  it('names in several repositories: must be forced; -f untags all (sorted) and deletes', async () => {
    const img = await addImage(t.store, { refs: ['localhost:5000/x/y:2', 'docker.io/library/other:1', 'docker.io/library/busybox:latest'] });
    const r = await rmi([img.id.slice(7)]);
    expect(r.errors).toEqual([`conflict: unable to delete ${short(img.id)} (must be forced) - image is referenced in multiple repositories`]);
    expect(tags().length).toBe(3);
    const f = await rmi([short(img.id)], { force: true });
    expect(f.out.slice(0, 4)).toEqual(['Untagged: busybox:latest', 'Untagged: other:1', 'Untagged: localhost:5000/x/y:2', `Deleted: ${img.id}`]);
    expect(ids()).toEqual([]);
  });

  it('two tags of one repository also count as several references', async () => {
    const img = await addImage(t.store, { refs: ['docker.io/library/busybox:latest', 'docker.io/library/busybox:1'] });
    expect((await rmi([img.id])).errors[0]).toMatch(/must be forced\) - image is referenced in multiple repositories$/);
  });

  it('stopped container: must be forced; running container: cannot be forced', async () => {
    const img = await addImage(t.store, { refs: ['docker.io/library/busybox:latest'] });
    const stopped = { [img.id]: [{ id: 'c'.repeat(64), running: false }] };
    const running = { [img.id]: [{ id: 'd'.repeat(64), running: true }] };
    expect((await rmi([short(img.id)], { users: stopped })).errors).toEqual([
      `conflict: unable to delete ${short(img.id)} (must be forced) - image is being used by stopped container cccccccccccc`,
    ]);
    expect((await rmi([short(img.id)], { users: running, force: true })).errors).toEqual([
      `conflict: unable to delete ${short(img.id)} (cannot be forced) - image is being used by running container dddddddddddd`,
    ]);
    expect(tags()).toEqual(['docker.io/library/busybox:latest']);
    expect((await rmi([short(img.id)], { users: stopped, force: true })).out.slice(0, 2)).toEqual(['Untagged: busybox:latest', `Deleted: ${img.id}`]);
  });

  it('an image with children cannot be deleted, even with -f', async () => {
    const base = await addImage(t.store, {});
    await addImage(t.store, { parent: base, refs: ['docker.io/library/child:latest'] });
    const r = await rmi([base.id], { force: true });
    expect(r.errors).toEqual([`conflict: unable to delete ${short(base.id)} (cannot be forced) - image has dependent child images`]);
  });
});

describe('parents of build images', () => {
  async function build() {
    const base = await addImage(t.store, { refs: ['docker.io/library/busybox:latest'] });
    const step1 = await addImage(t.store, { parent: base, intermediate: true });
    const step2 = await addImage(t.store, { parent: step1, intermediate: true });
    const app = await addImage(t.store, { parent: step2, refs: ['docker.io/me/app:latest'] });
    return { base, step1, step2, app };
  }

  it('deleting the built image deletes its untagged parents, newest first, up to a tagged one', async () => {
    const { base, step1, step2, app } = await build();
    const r = await rmi(['me/app']);
    expect(r.out.slice(0, 4)).toEqual(['Untagged: me/app:latest', `Deleted: ${app.id}`, `Deleted: ${step2.id}`, `Deleted: ${step1.id}`]);
    expect(r.out.slice(4).every((l) => l.startsWith('Deleted: sha256:'))).toBe(true);
    expect(ids()).toEqual([base.id]);
    expect(await storeProblems(t.store)).toEqual([]);
  });

  it('--no-prune keeps the parents', async () => {
    const { base, step1, step2, app } = await build();
    const { chains } = await layersOf(app);
    const r = await rmi(['me/app'], { noPrune: true });
    expect(r.out).toEqual(['Untagged: me/app:latest', `Deleted: ${app.id}`, `Deleted: ${chains[3]}`]);
    expect(ids().sort()).toEqual([base.id, step1.id, step2.id].sort());
  });

  it('a parent another image still builds on stays', async () => {
    const { base, step1, step2, app } = await build();
    const sibling = await addImage(t.store, { parent: step1, refs: ['docker.io/me/other:latest'] });
    const r = await rmi(['me/app']);
    expect(r.out.slice(0, 3)).toEqual(['Untagged: me/app:latest', `Deleted: ${app.id}`, `Deleted: ${step2.id}`]);
    expect(ids().sort()).toEqual([base.id, step1.id, sibling.id].sort());
  });

  it('untagging the base of a build only untags it', async () => {
    const { base } = await build();
    expect((await rmi(['busybox'])).out).toEqual(['Untagged: busybox:latest']);
    expect(ids()).toContain(base.id);
  });
});

describe('image prune', () => {
  it('dangling only by default: untagged images nothing uses, with their untagged parents', async () => {
    const base = await addImage(t.store, { refs: ['docker.io/library/busybox:latest'] });
    const step = await addImage(t.store, { parent: base, intermediate: true });
    const top = await addImage(t.store, { parent: step });
    const used = await addImage(t.store, {});
    const r = await pruneImages(t.store, { usersOf: (id) => (id === used.id ? [{ id: 'e'.repeat(64), running: false }] : []) });
    expect(lines(r.deleted).slice(0, 2)).toEqual([`Deleted: ${top.id}`, `Deleted: ${step.id}`]);
    expect(ids().sort()).toEqual([base.id, used.id].sort());
    expect(r.reclaimed).toBeGreaterThan(0);
    expect(await storeProblems(t.store)).toEqual([]);
  });

  it('-a: every image no container uses, tags included', async () => {
    const a = await addImage(t.store, { refs: ['docker.io/library/a:latest'] });
    const b = await addImage(t.store, { refs: ['docker.io/library/b:latest'] });
    const r = await pruneImages(t.store, { all: true, usersOf: (id) => (id === b.id ? [{ id: 'f'.repeat(64), running: true }] : []) });
    expect(lines(r.deleted).slice(0, 2)).toEqual(['Untagged: a:latest', `Deleted: ${a.id}`]);
    expect(ids()).toEqual([b.id]);
    expect(existsSync(t.store.engine.paths.blob(a.id))).toBe(false);
  });

  it('nothing to prune reclaims nothing', async () => {
    await addImage(t.store, { refs: ['docker.io/library/a:latest'] });
    expect(await pruneImages(t.store, {})).toEqual({ deleted: [], reclaimed: 0 });
  });
});
