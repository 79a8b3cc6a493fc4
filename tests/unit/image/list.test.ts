// The rows of `images`: one per tag, newest image first, tags in docker's order; what -a shows
// beyond the default; and the filters (dangling, reference, label, before, since).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFilters } from '../../../src/cli/parse/filter.js';
import { listImages } from '../../../src/image/list.js';
import type { ImageRecord } from '../../../src/image/store/store.js';
import { addImage, tempStore, type TempStore } from './helpers.js';

let t: TempStore;
let base: ImageRecord;
let app: ImageRecord;
let step: ImageRecord;
let dangling: ImageRecord;
let labelled: ImageRecord;

const at = (minute: number) => `2024-05-01T10:${String(minute).padStart(2, '0')}:00Z`;

beforeEach(async () => {
  t = tempStore();
  base = await addImage(t.store, { refs: ['docker.io/library/busybox:latest', 'docker.io/library/busybox:1.36', 'localhost:5000/bb:x'], created: at(1) });
  // A build: an intermediate step image on busybox, and the tagged result on top of it.
  step = await addImage(t.store, { parent: base, intermediate: true, created: at(2) });
  app = await addImage(t.store, { parent: step, refs: ['docker.io/me/app:1'], created: at(3) });
  dangling = await addImage(t.store, { created: at(4) });
  labelled = await addImage(t.store, { refs: ['docker.io/library/web:latest'], created: at(5), config: { Labels: { tier: 'front', team: 'a' } } });
});
afterEach(() => t.cleanup());

async function rows(opts: { all?: boolean; filter?: string[]; reference?: string } = {}) {
  const r = await listImages(t.store, { all: opts.all, filters: parseFilters(opts.filter ?? []), reference: opts.reference });
  return r.map((x) => `${x.repository}:${x.tag} ${x.rec.id === dangling.id ? 'D' : x.rec.id === step.id ? 'S' : x.rec.id.slice(7, 11)}`);
}

const names = async (opts: Parameters<typeof rows>[0] = {}) => (await rows(opts)).map((r) => r.split(' ')[0]);

describe('rows', () => {
  it('one row per tag, newest image first, tags sorted by full reference; untagged build steps hidden', async () => {
    expect(await names()).toEqual(['web:latest', '<none>:<none>', 'me/app:1', 'busybox:1.36', 'busybox:latest', 'localhost:5000/bb:x']);
    expect((await rows())[1]).toBe('<none>:<none> D');
  });

  it('-a also shows intermediate images (untagged parents and build steps)', async () => {
    expect(await rows({ all: true })).toContain('<none>:<none> S');
    expect((await names({ all: true })).length).toBe(7);
  });

  it('an untagged parent of another image is hidden without -a even when not marked intermediate', async () => {
    await t.store.edit((recs) => {
      for (const r of recs) if (r.id === step.id) r.intermediate = false;
    });
    expect(await rows()).not.toContain('<none>:<none> S');
    expect(await rows({ all: true })).toContain('<none>:<none> S');
  });
});

describe('filters', () => {
  it('dangling=true: untagged images that nothing builds on, even with -a', async () => {
    expect(await rows({ filter: ['dangling=true'] })).toEqual(['<none>:<none> D']);
    expect(await rows({ all: true, filter: ['dangling=true'] })).toEqual(['<none>:<none> D']);
  });

  it('dangling=false: tagged images only', async () => {
    expect(await names({ all: true, filter: ['dangling=false'] })).toEqual(['web:latest', 'me/app:1', 'busybox:1.36', 'busybox:latest', 'localhost:5000/bb:x']);
  });

  it('reference: a glob on the familiar name or name:tag; several match if any does', async () => {
    expect(await names({ filter: ['reference=busy*'] })).toEqual(['busybox:1.36', 'busybox:latest']);
    expect(await names({ filter: ['reference=busybox:1.*'] })).toEqual(['busybox:1.36']);
    expect(await names({ filter: ['reference=me/*'] })).toEqual(['me/app:1']);
    expect(await names({ filter: ['reference=localhost:5000/*'] })).toEqual(['localhost:5000/bb:x']);
    expect(await names({ filter: ['reference=web', 'reference=me/app'] })).toEqual(['web:latest', 'me/app:1']);
    expect(await names({ filter: ['reference=nothing*'] })).toEqual([]);
  });

  it('the REPOSITORY[:TAG] argument is a reference filter', async () => {
    expect(await names({ reference: 'busybox' })).toEqual(['busybox:1.36', 'busybox:latest']);
    expect(await names({ reference: 'busybox:latest' })).toEqual(['busybox:latest']);
    expect(await names({ reference: 'busybox', filter: ['reference=web'] })).toEqual(['web:latest', 'busybox:1.36', 'busybox:latest']);
  });

  it('label: key, or key=value', async () => {
    expect(await names({ filter: ['label=tier'] })).toEqual(['web:latest']);
    expect(await names({ filter: ['label=tier=front', 'label=team=a'] })).toEqual(['web:latest']);
    expect(await names({ filter: ['label=tier=back'] })).toEqual([]);
  });

  it('before and since: by creation time of the named image', async () => {
    expect(await names({ filter: ['before=me/app:1'] })).toEqual(['busybox:1.36', 'busybox:latest', 'localhost:5000/bb:x']);
    expect(await names({ filter: ['since=me/app:1'] })).toEqual(['web:latest', '<none>:<none>']);
    expect(await names({ filter: [`since=${base.id.slice(7, 19)}`, 'before=web'] })).toEqual(['<none>:<none>', 'me/app:1']);
  });

  it('before/since of an image that does not exist fails with docker’s message', async () => {
    await expect(rows({ filter: ['before=nope'] })).rejects.toThrow('No such image: nope:latest');
  });

  it('an invalid dangling value is an invalid filter', async () => {
    await expect(rows({ filter: ['dangling=maybe'] })).rejects.toThrow("invalid filter 'dangling=maybe'");
  });
});

describe('row content', () => {
  it('carries the record (ID, created, size) and <none> digest unless pulled by digest', async () => {
    const pulled = await addImage(t.store, { refs: ['docker.io/library/p:1'], repoDigests: [`docker.io/library/p@sha256:${'7'.repeat(64)}`] });
    const r = await listImages(t.store, { filters: parseFilters([]) });
    const row = r.find((x) => x.rec.id === pulled.id)!;
    expect(row.digest).toBe(`sha256:${'7'.repeat(64)}`);
    expect(r.find((x) => x.rec.id === labelled.id)!.digest).toBe('<none>');
    expect(row.rec.size).toBeGreaterThan(0);
    expect(app.parent).toBe(step.id);
  });
});
