// tag → rmi (name, ID, unique prefix, -f, an image a container uses) → image prune → system df,
// with docker's output lines and exit codes, and the store's files checked after each step:
// what nothing references is gone, what something references stays.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { humanSize } from '../../../src/cli/format/units.js';
import { busyboxTarball, isRoot, TestRoot } from '../../helpers/cli.js';
import { dockerTable, rootProblems } from './helpers.js';

const lines = (s: unknown) => String(s).split('\n').filter(Boolean);

describe.skipIf(!isRoot)('tag, rmi, image prune, system df', () => {
  let root: TestRoot;
  let id: string; // busybox, imported with CMD
  let layer: string; // its one layer (diff ID = chain ID)

  beforeAll(() => {
    // The layer's diff ID is the sha256 of the (uncompressed) tarball: no CLI call needed.
    layer = `sha256:${createHash('sha256').update(readFileSync(busyboxTarball())).digest('hex')}`;
  });
  beforeEach(async () => {
    root = new TestRoot('image-rmi');
    id = String((await root.ok(['import', '--change', 'CMD ["sh"]', busyboxTarball(), 'busybox'])).stdout).trim();
  });
  afterEach(async () => {
    await root?.cleanup();
  });

  const blobs = () => readdirSync(join(root.dir, 'blobs', 'sha256')).sort();
  const snapshots = () => readdirSync(join(root.dir, 'snapshots')).sort();
  const tags = async () => lines((await root.ok(['images', '-a', '--format', '{{.Repository}}:{{.Tag}}'])).stdout).sort();

  it('tag adds names (by name, ID prefix, to another registry); re-tagging moves a tag', async () => {
    await root.ok(['tag', 'busybox', 'mine:1']);
    await root.ok(['tag', id.slice(7, 15), 'localhost:5000/team/bb']);
    await root.ok(['image', 'tag', `sha256:${id.slice(7)}`, 'mine:2']);
    expect(await tags()).toEqual(['busybox:latest', 'localhost:5000/team/bb:latest', 'mine:1', 'mine:2']);
    const [img] = JSON.parse(String((await root.ok(['image', 'inspect', 'mine:2'])).stdout));
    expect(img.RepoTags).toEqual(['busybox:latest', 'mine:1', 'mine:2', 'localhost:5000/team/bb:latest']);
    // A second image takes the tag `mine:1`; busybox keeps its other names.
    const other = String((await root.ok(['import', busyboxTarball()])).stdout).trim();
    await root.ok(['tag', other, 'mine:1']);
    expect(String((await root.ok(['images', '-q', '--no-trunc', 'mine:1'])).stdout).trim()).toBe(other);
    expect(await tags()).toEqual(['busybox:latest', 'localhost:5000/team/bb:latest', 'mine:1', 'mine:2']);
    expect(await rootProblems(root)).toEqual([]);
  });

  it('tag errors: unknown source, invalid target', async () => {
    const missing = await root.run(['tag', 'nope', 'x']);
    expect(missing.exitCode).toBe(1);
    expect(String(missing.stderr)).toMatch(/^Error response from daemon: No such image: nope:latest\n/);
    const bad = await root.run(['tag', 'busybox', 'Busybox']);
    expect(bad.exitCode).toBe(1);
    expect(String(bad.stderr)).toMatch(/invalid reference format: repository name \(library\/Busybox\) must be lowercase/);
  });

  it('rmi by name untags; the last name deletes the image, its blobs and its snapshot', async () => {
    await root.ok(['tag', 'busybox', 'mine:1']);
    const before = blobs();
    expect(String((await root.ok(['rmi', 'mine:1'])).stdout)).toBe('Untagged: mine:1\n');
    expect(blobs()).toEqual(before);
    const r = await root.ok(['rmi', 'busybox']);
    expect(String(r.stdout)).toBe(`Untagged: busybox:latest\nDeleted: ${id}\nDeleted: ${layer}\n`);
    expect(blobs()).toEqual([]);
    expect(snapshots()).toEqual([]);
    expect((await root.run(['image', 'inspect', id.slice(7, 19)])).exitCode).toBe(1);
  });

  it('rmi by ID: several names must be forced; -f untags them all and deletes', async () => {
    await root.ok(['tag', 'busybox', 'mine:1']);
    const refused = await root.run(['rmi', id.slice(7, 19)]);
    expect(refused.exitCode).toBe(1);
    expect(String(refused.stderr)).toBe(
      `Error response from daemon: conflict: unable to delete ${id.slice(7, 19)} (must be forced) - image is referenced in multiple repositories\n`,
    );
    const forced = await root.ok(['rmi', '-f', id.slice(7, 19)]);
    expect(String(forced.stdout)).toBe(`Untagged: busybox:latest\nUntagged: mine:1\nDeleted: ${id}\nDeleted: ${layer}\n`);
    expect(await tags()).toEqual([]);
    expect(blobs()).toEqual([]);
  });

  it('rmi by unique prefix and by full ID; one error does not stop the other arguments', async () => {
    const second = String((await root.ok(['import', busyboxTarball()])).stdout).trim();
    const r = await root.run(['rmi', second.slice(7, 11), 'nope', id]);
    expect(r.exitCode).toBe(1);
    expect(lines(r.stdout)).toEqual([`Deleted: ${second}`, 'Untagged: busybox:latest', `Deleted: ${id}`, `Deleted: ${layer}`]);
    expect(String(r.stderr)).toBe('Error response from daemon: No such image: nope:latest\n');
    expect(await rootProblems(root)).toEqual([]);
  });

  it('an image a container uses: refused without -f; with -f deleted, the container keeps its layers', async () => {
    const cid = String((await root.ok(['create', '--name', `rmi-user-${process.pid}`, 'busybox'])).stdout).trim();
    const byName = await root.run(['rmi', 'busybox']);
    expect(byName.exitCode).toBe(1);
    expect(String(byName.stderr)).toBe(
      `Error response from daemon: conflict: unable to remove repository reference "busybox" (must force) - container ${cid.slice(0, 12)} is using its referenced image ${id.slice(7, 19)}\n`,
    );
    const byId = await root.run(['rmi', id.slice(7, 19)]);
    expect(String(byId.stderr)).toMatch(/\(must be forced\) - image is being used by stopped container /);
    const forced = await root.ok(['rmi', '-f', 'busybox']);
    expect(String(forced.stdout)).toBe(`Untagged: busybox:latest\nDeleted: ${id}\n`);
    expect(snapshots()).toEqual([layer.slice(7)]);
    expect(String((await root.ok(['ps', '-a', '--format', '{{.Image}}'])).stdout)).toBe(`${id.slice(7, 19)}\n`);
    // Once the container is gone, prune collects the layer.
    const size = Number(JSON.parse(readFileSync(join(root.dir, 'snapshots', layer.slice(7), 'meta.json'), 'utf8')).size);
    await root.ok(['rm', cid]);
    const pruned = await root.ok(['image', 'prune', '-f']);
    expect(String(pruned.stdout)).toBe(`Deleted Images:\ndeleted: ${layer}\n\nTotal reclaimed space: ${humanSize(size)}\n`);
    expect(snapshots()).toEqual([]);
  });

  it('image prune: dangling only, then -a', async () => {
    const dangling = String((await root.ok(['import', busyboxTarball()])).stdout).trim();
    await root.ok(['tag', 'busybox', 'kept:1']);
    const r = await root.ok(['image', 'prune', '-f']);
    expect(String(r.stdout)).toMatch(new RegExp(`^Deleted Images:\ndeleted: ${dangling}\n\nTotal reclaimed space: \\d+(\\.\\d+)?k?B\n$`));
    expect(await tags()).toEqual(['busybox:latest', 'kept:1']);
    expect(String((await root.ok(['image', 'prune', '-f'])).stdout)).toBe('Total reclaimed space: 0B\n');
    const all = await root.ok(['image', 'prune', '-a', '-f']);
    expect(lines(all.stdout)).toEqual([
      'Deleted Images:',
      'untagged: busybox:latest',
      'untagged: kept:1',
      `deleted: ${id}`,
      `deleted: ${layer}`,
      expect.stringMatching(/^Total reclaimed space: \d+(\.\d+)?MB$/),
    ]);
    expect(blobs()).toEqual([]);
    expect(snapshots()).toEqual([]);
    expect(existsSync(join(root.dir, 'index.json'))).toBe(true);
  });

  it('system df: images share their layer; a container makes one active', async () => {
    await root.ok(['import', busyboxTarball(), 'second']);
    const size = Number(String((await root.ok(['image', 'inspect', '-f', '{{.Size}}', 'busybox'])).stdout));
    const df = async () => dockerTable(String((await root.ok(['system', 'df'])).stdout));
    let t = await df();
    expect(t[0]).toEqual(['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE']);
    expect(t[1]).toEqual(['Images', '2', '0', humanSize(size), `${humanSize(size)} (100%)`]);
    expect(t.slice(2)).toEqual([
      ['Containers', '0', '0', '0B', '0B'],
      ['Local Volumes', '0', '0', '0B', '0B'],
      ['Build Cache', '0', '0', '0B', '0B'],
    ]);
    await root.ok(['create', '--name', `df-user-${process.pid}`, 'busybox']);
    t = await df();
    expect(t[1]).toEqual(['Images', '2', '1', humanSize(size), '0B (0%)']);
    expect(t[2].slice(0, 3)).toEqual(['Containers', '1', '0']);
  });
});

