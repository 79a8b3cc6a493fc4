// `image inspect` prints docker's JSON shape; `history` docker's table, newest step first,
// with `<missing>` for steps no local image stands for.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPlatform } from '../../../src/image/oci.js';
import { busyboxTarball, isRoot, TestRoot } from '../../helpers/cli.js';
import { craftTar, layerTar, sha256 } from '../../unit/image/helpers.js';
import { CREATED_RECENTLY, dockerTable } from './helpers.js';

const LONG = '/bin/sh -c echo a command line much longer than forty-five characters';

/** A legacy docker-save archive of a two-layer image with three history entries (one empty). */
async function historyArchive(): Promise<{ archive: Buffer; id: string; diffIds: string[] }> {
  const l1 = await layerTar({ 'etc/one': 'x'.repeat(3000) });
  const l2 = await layerTar({ 'etc/two': 'y'.repeat(100) });
  const config = JSON.stringify({
    ...hostPlatform(),
    created: '2024-03-04T05:06:07.123456789Z',
    author: 'someone',
    config: { Cmd: ['sh'], Env: ['PATH=/bin'] },
    rootfs: { type: 'layers', diff_ids: [sha256(l1), sha256(l2)] },
    history: [
      { created: '2024-03-04T05:06:01Z', created_by: '/bin/sh -c #(nop) ADD file:1 in /' },
      { created: '2024-03-04T05:06:02Z', created_by: '/bin/sh -c #(nop)  CMD ["sh"]', empty_layer: true },
      { created: '2024-03-04T05:06:07Z', created_by: LONG, comment: 'the last step' },
    ],
  });
  const archive = await craftTar([
    { name: 'a/layer.tar', content: l1 },
    { name: 'b/layer.tar', content: l2 },
    { name: 'cfg.json', content: config },
    { name: 'manifest.json', content: JSON.stringify([{ Config: 'cfg.json', RepoTags: ['hist:1'], Layers: ['a/layer.tar', 'b/layer.tar'] }]) },
  ]);
  return { archive, id: sha256(config), diffIds: [sha256(l1), sha256(l2)] };
}

describe.skipIf(!isRoot)('image inspect and history', () => {
  let root: TestRoot;
  let scratch: string;
  let hist: Awaited<ReturnType<typeof historyArchive>>;

  beforeAll(async () => {
    root = new TestRoot('image-inspect');
    scratch = mkdtempSync(join(tmpdir(), 'minidock-image-inspect-'));
    await root.importBusybox();
    hist = await historyArchive();
    const file = join(scratch, 'hist.tar');
    writeFileSync(file, hist.archive);
    await root.ok(['load', '-i', file]);
  });

  afterAll(async () => {
    await root?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('image inspect: docker’s keys and values', async () => {
    const r = await root.ok(['image', 'inspect', 'busybox']);
    expect(String(r.stdout)).toMatch(/^\[\n {4}\{\n {8}"Id": "sha256:[a-f0-9]{64}",\n/); // four-space indent, as docker
    const [img] = JSON.parse(String(r.stdout));
    expect(Object.keys(img)).toEqual(
      expect.arrayContaining(['Id', 'RepoTags', 'RepoDigests', 'Parent', 'Comment', 'Created', 'Author', 'Config', 'Architecture', 'Os', 'Size', 'GraphDriver', 'RootFS', 'Metadata']),
    );
    expect(img.Id).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(img.RepoTags).toEqual(['busybox:latest']);
    expect(img.RepoDigests).toEqual([]);
    expect(Date.now() - Date.parse(img.Created)).toBeLessThan(120_000);
    expect(img.Architecture).toBe(hostPlatform().architecture);
    expect(img.Os).toBe('linux');
    expect(img.Config.Cmd).toEqual(['sh']);
    expect(img.RootFS.Type).toBe('layers');
    expect(img.RootFS.Layers).toHaveLength(1);
    expect(img.RootFS.Layers[0]).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(img.Size).toBeGreaterThan(1_000_000);
    expect(img.GraphDriver.Name).toBe('overlay');
  });

  it('image inspect --format, several images, and a missing one', async () => {
    const id = String((await root.ok(['image', 'inspect', '--format', '{{.Id}}', 'busybox'])).stdout);
    expect(id).toMatch(/^sha256:[a-f0-9]{64}\n$/);
    const two = await root.run(['image', 'inspect', '-f', '{{json .RepoTags}} {{.Author}}', 'busybox', 'nope', 'hist:1']);
    expect(two.exitCode).toBe(1);
    expect(String(two.stdout)).toBe('["busybox:latest"] \n["hist:1"] someone\n');
    expect(String(two.stderr)).toBe('Error response from daemon: No such image: nope:latest\n');
    // The generic `inspect` finds images too (after containers), and by ID.
    expect(String((await root.ok(['inspect', '-f', '{{.Id}}', id.trim().slice(7, 19)])).stdout)).toBe(id);
  });

  it('the loaded image keeps its config: ID, created, layers', async () => {
    const [img] = JSON.parse(String((await root.ok(['image', 'inspect', 'hist:1'])).stdout));
    expect(img.Id).toBe(hist.id);
    expect(img.Created).toBe('2024-03-04T05:06:07.123456789Z');
    expect(img.RootFS.Layers).toEqual(hist.diffIds);
    expect(img.Config.Env).toEqual(['PATH=/bin']);
  });

  it('history: docker’s table, newest first, <missing> for steps without a local image', async () => {
    const cells = dockerTable(String((await root.ok(['history', 'hist:1'])).stdout));
    expect(cells[0]).toEqual(['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT']);
    expect(cells.slice(1).map((r) => [r[0], r[2], r[4]])).toEqual([
      [hist.id.slice(7, 19), `${LONG.slice(0, 44)}…`, 'the last step'],
      ['<missing>', '/bin/sh -c #(nop)  CMD ["sh"]', ''],
      ['<missing>', '/bin/sh -c #(nop) ADD file:1 in /', ''],
    ]);
    expect(cells[2][3]).toBe('0B');
    for (const r of cells.slice(1)) expect(r[1]).toMatch(/^\d+ (months|years) ago$|^(About a|\d+) (year|month)s? ago$/);
    const bb = dockerTable(String((await root.ok(['history', 'busybox'])).stdout));
    expect(bb.slice(1).map((r) => [r[2], r[4]])).toEqual([['', 'Imported from -']]);
    expect(bb[1][1]).toMatch(CREATED_RECENTLY);
  });

  it('history --no-trunc, -q, -H=false, --format', async () => {
    const full = dockerTable(String((await root.ok(['history', '--no-trunc', 'hist:1'])).stdout));
    expect(full[1][0]).toBe(hist.id);
    expect(full[1][2]).toBe(LONG);
    expect(String((await root.ok(['history', '-q', 'hist:1'])).stdout)).toBe(`${hist.id.slice(7, 19)}\n<missing>\n<missing>\n`);
    expect(String((await root.ok(['history', '-q', '--no-trunc', 'hist:1'])).stdout).split('\n')[0]).toBe(hist.id);
    const raw = await root.ok(['history', '-H=false', '--format', '{{.CreatedSince}}|{{.Size}}', 'hist:1']);
    const lines = String(raw.stdout).trim().split('\n');
    expect(lines[0]).toMatch(/^2024-03-04T05:06:07Z\|\d+$/);
    expect(lines[1]).toBe('2024-03-04T05:06:02Z|0');
    const fmt = await root.ok(['history', '--format', '{{.ID}}\t{{.CreatedAt}}\t{{.Comment}}', 'hist:1']);
    expect(String(fmt.stdout).split('\n')[0]).toBe(`${hist.id.slice(7, 19)}\t2024-03-04T05:06:07Z\tthe last step`);
  });

  it('history of an unknown image', async () => {
    const r = await root.run(['history', 'nope']);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toMatch(/No such image: nope:latest/);
  });
});
