// The volume commands against a real root: create, ls (filters), inspect, rm (in use, -f),
// prune (anonymous only, -a, label filters, the report), rm -v, and names that try to
// leave the volumes directory.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MinidockError } from '../../../src/errors.js';
import { createVolume, inspectVolume, removeContainerVolumes, removeVolume } from '../../../src/runtime/volumes/commands.js';
import { listVolumes } from '../../../src/runtime/volumes/list.js';
import { ANONYMOUS_LABEL } from '../../../src/runtime/volumes/names.js';
import { pruneVolumes, renderPruneReport } from '../../../src/runtime/volumes/prune.js';
import { VolumeStore } from '../../../src/runtime/volumes/store.js';
import { isRoot, TempEngine } from './helpers.js';

let t: TempEngine;
beforeEach(() => {
  t = new TempEngine();
});
afterEach(() => t.cleanup());

const names = () => listVolumes(t.engine).map((r) => r.Name);

async function errorOf(p: Promise<unknown> | (() => unknown)): Promise<MinidockError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    expect(err).toBeInstanceOf(MinidockError);
    return err as MinidockError;
  }
  throw new Error('expected an error');
}

describe.skipIf(!isRoot)('volume create / inspect / ls', () => {
  it('creates volumes/<name>/_data with docker\'s metadata, and returns an existing one again', async () => {
    const v = await createVolume(t.engine, { name: 'web-data', labels: { env: 'prod' } });
    const dir = join(t.engine.paths.volumesDir, 'web-data');
    expect(statSync(join(dir, '_data')).isDirectory()).toBe(true);
    expect(statSync(join(dir, '_data')).mode & 0o777).toBe(0o755);
    const onDisk = JSON.parse(readFileSync(join(dir, 'volume.json'), 'utf8'));
    expect(onDisk).toEqual({ ...v });
    expect(v.CreatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const again = await createVolume(t.engine, { name: 'web-data', labels: { other: 'x' } });
    expect(again).toEqual(v);
    expect(inspectVolume(t.engine, 'web-data')).toEqual({
      CreatedAt: v.CreatedAt,
      Driver: 'local',
      Labels: { env: 'prod' },
      Mountpoint: join(dir, '_data'),
      Name: 'web-data',
      Options: {},
      Scope: 'local',
    });
    expect(Object.keys(inspectVolume(t.engine, 'web-data'))).toEqual(['CreatedAt', 'Driver', 'Labels', 'Mountpoint', 'Name', 'Options', 'Scope']);
  });

  it('names a volume created without a name with 64 hex digits, not labelled anonymous', async () => {
    const v = await createVolume(t.engine);
    expect(v.Name).toMatch(/^[0-9a-f]{64}$/);
    expect(v.Labels).toEqual({});
  });

  it('refuses other drivers and driver options, and says so as docker does', async () => {
    expect((await errorOf(createVolume(t.engine, { name: 'x1', driver: 'nfs' }))).message).toBe('create x1: error looking up volume plugin nfs: plugin "nfs" not found');
    expect((await errorOf(createVolume(t.engine, { name: 'x1', options: { type: 'tmpfs' } }))).message).toMatch(/^create x1: driver options are not supported/);
    expect(names()).toEqual([]);
  });

  it('reports a missing volume as docker does', async () => {
    expect((await errorOf(() => inspectVolume(t.engine, 'nope'))).message).toBe('No such volume: nope');
    expect((await errorOf(removeVolume(t.engine, 'nope'))).message).toBe('get nope: no such volume');
    expect(await removeVolume(t.engine, 'nope', { force: true })).toBe(false);
  });

  it('lists in natural order, with dangling, name and label filters', async () => {
    for (const n of ['vol10', 'vol2', 'cache']) await createVolume(t.engine, { name: n, labels: n === 'cache' ? { tier: 'fast' } : {} });
    const c = await t.create({ volumes: ['vol2:/data'] });
    expect(names()).toEqual(['cache', 'vol2', 'vol10']);
    expect(listVolumes(t.engine, ['dangling=true']).map((r) => r.Name)).toEqual(['cache', 'vol10']);
    expect(listVolumes(t.engine, ['dangling=false']).map((r) => r.Name)).toEqual(['vol2']);
    expect(listVolumes(t.engine, ['name=vol']).map((r) => r.Name)).toEqual(['vol2', 'vol10']);
    expect(listVolumes(t.engine, ['name=^vol1', 'name=cache']).map((r) => r.Name)).toEqual(['cache', 'vol10']);
    expect(listVolumes(t.engine, ['label=tier=fast']).map((r) => r.Name)).toEqual(['cache']);
    expect(listVolumes(t.engine, ['driver=local', 'dangling=1', 'name=vol']).map((r) => r.Name)).toEqual(['vol10']);
    const row = listVolumes(t.engine, ['name=cache'])[0];
    expect({ ...row, Label: row.Label('tier') }).toMatchObject({ Driver: 'local', Name: 'cache', Scope: 'local', Labels: 'tier=fast', Links: 'N/A', Size: 'N/A', Label: 'fast' });
    expect((await errorOf(() => listVolumes(t.engine, ['until=1h']))).message).toBe("invalid filter 'until'");
    t.remove(c);
    expect(listVolumes(t.engine, ['dangling=true']).map((r) => r.Name)).toEqual(['cache', 'vol2', 'vol10']);
  });
});

describe.skipIf(!isRoot)('volume rm / prune / rm -v', () => {
  it('refuses to remove a volume any container uses, even with -f, naming the containers', async () => {
    const a = await t.create({ volumes: ['shared:/data'] });
    const b = await t.create({ mounts: ['type=volume,src=shared,dst=/x'] });
    const err = await errorOf(removeVolume(t.engine, 'shared', { force: true }));
    expect(err.kind).toBe('conflict');
    const ids = err.message.match(/\[(.*)\]$/)![1].split(', ').sort();
    expect(err.message).toMatch(/^remove shared: volume is in use - \[[0-9a-f]{64}, [0-9a-f]{64}\]$/);
    expect(ids).toEqual([a.Id, b.Id].sort());
    t.remove(a);
    t.remove(b);
    expect(await removeVolume(t.engine, 'shared')).toBe(true);
    expect(existsSync(join(t.engine.paths.volumesDir, 'shared'))).toBe(false);
    expect(readdirSync(t.engine.paths.volumesDir)).toEqual([]); // no tombstone left behind
  });

  it('prunes only unused anonymous volumes by default, all unused ones with -a, and reports the space', async () => {
    await createVolume(t.engine, { name: 'named1' });
    const used = await t.create({ volumes: ['/in-use'] });
    const gone = await t.create({ volumes: ['/anon'], imageVolumes: { '/img': {} } });
    const anon = gone.Mounts.map((m) => m.Name!);
    expect(anon).toHaveLength(2);
    for (const n of anon) expect(new VolumeStore(t.engine).get(n)?.Labels).toEqual({ [ANONYMOUS_LABEL]: '' });
    writeFileSync(join(new VolumeStore(t.engine).dataDir(anon[0]), 'f'), 'x'.repeat(1200));
    t.remove(gone);

    const r = await pruneVolumes(t.engine);
    expect(r.deleted.sort()).toEqual([...anon].sort());
    expect(r.reclaimed).toBe(1200);
    expect(renderPruneReport(r)).toBe(`Deleted Volumes:\n${r.deleted.join('\n')}\n\nTotal reclaimed space: 1.2kB\n`);
    expect(names().sort()).toEqual(['named1', used.Mounts[0].Name!].sort());

    expect((await pruneVolumes(t.engine, { all: true, filters: ['label=nothing'] })).deleted).toEqual([]);
    expect(await pruneVolumes(t.engine, { all: true })).toEqual({ deleted: ['named1'], reclaimed: 0 });
    expect(names()).toEqual([used.Mounts[0].Name]);
    expect((await errorOf(pruneVolumes(t.engine, { filters: ['dangling=true'] }))).message).toBe("invalid filter 'dangling'");
  });

  it('narrows prune with label and label! filters', async () => {
    await createVolume(t.engine, { name: 'keep1', labels: { keep: 'yes' } });
    await createVolume(t.engine, { name: 'drop1', labels: { keep: 'no' } });
    await createVolume(t.engine, { name: 'bare1' });
    expect((await pruneVolumes(t.engine, { all: true, filters: ['label=keep=no'] })).deleted).toEqual(['drop1']);
    expect((await pruneVolumes(t.engine, { filters: ['all=true', 'label!=keep=yes'] })).deleted).toEqual(['bare1']);
    expect(names()).toEqual(['keep1']);
  });

  it('rm -v removes the anonymous volumes only, and keeps one another container still borrows', async () => {
    await createVolume(t.engine, { name: 'named2' });
    const a = await t.create({ volumes: ['/anon1', 'named2:/n'], imageVolumes: { '/img': {} } }, { name: 'a1' });
    const anon = a.Mounts.filter((m) => m.Anonymous).map((m) => m.Name!).sort();
    expect(anon).toHaveLength(2);
    const b = await t.create({ volumesFrom: ['a1:ro'] });
    expect(b.Mounts.map((m) => [m.Destination, m.Name, m.RW]).sort()).toEqual([
      ['/anon1', a.Mounts.find((m) => m.Destination === '/anon1')!.Name, false],
      ['/img', a.Mounts.find((m) => m.Destination === '/img')!.Name, false],
      ['/n', 'named2', false],
    ]);

    t.remove(a);
    const first = await removeContainerVolumes(t.engine, a);
    expect(first.removed).toEqual([]);
    expect(first.kept.sort()).toEqual(anon);
    t.remove(b);
    const r = await removeContainerVolumes(t.engine, b);
    expect(r.removed.sort()).toEqual(anon);
    expect(names()).toEqual(['named2']);
  });

  it('does not count the container being removed as a user of its own volumes', async () => {
    const a = await t.create({ volumes: ['/anon'] });
    expect((await removeContainerVolumes(t.engine, a)).removed).toEqual([a.Mounts[0].Name]);
  });
});

describe.skipIf(!isRoot)('create-time mounts', () => {
  it('records docker\'s mount fields, Binds and Config.Volumes', async () => {
    const host = join(t.dir, 'h');
    const c = await t.create({
      volumes: ['named3:/data:ro', `${host}:/h`, '/anon'],
      mounts: ['type=tmpfs,dst=/t,tmpfs-size=1m', `type=bind,src=${t.dir},dst=/b,readonly`],
      imageVolumes: { '/data': {}, '/img': {} },
    });
    const byDest = Object.fromEntries(c.Mounts.map((m) => [m.Destination, m]));
    expect(byDest['/data']).toEqual({ Type: 'volume', Name: 'named3', Source: join(t.engine.paths.volumesDir, 'named3/_data'), Destination: '/data', RW: false, Options: 'ro', Driver: 'local', Propagation: '' });
    expect(byDest['/h']).toEqual({ Type: 'bind', Source: host, Destination: '/h', RW: true, Options: '', Propagation: 'rprivate', CreateSource: true });
    expect(byDest['/b']).toEqual({ Type: 'bind', Source: t.dir, Destination: '/b', RW: false, Options: '', Propagation: 'rprivate' });
    expect(byDest['/t']).toEqual({ Type: 'tmpfs', Source: '', Destination: '/t', RW: true, Options: '', Propagation: '', TmpfsOptions: 'size=1m' });
    expect(byDest['/anon']).toMatchObject({ Type: 'volume', Anonymous: true, Options: '', RW: true });
    expect(byDest['/img']).toMatchObject({ Type: 'volume', Anonymous: true });
    expect(c.HostConfig.Binds).toEqual(['named3:/data:ro', `${host}:/h`]);
    expect(Object.keys(c.Config.Volumes ?? {}).sort()).toEqual(['/anon', '/data', '/img']);
    expect(existsSync(host)).toBe(false); // -v creates it at start, not at create
    expect(new VolumeStore(t.engine).get('named3')?.Labels).toBeNull();
    // The record round-trips through zod with the extra fields intact.
    expect(t.containers.readContainer(c.Id).Mounts).toEqual(c.Mounts);
  });

  it('refuses a --mount bind whose source does not exist, and creates nothing', async () => {
    const err = await errorOf(t.create({ volumes: ['early:/e'], mounts: [`type=bind,src=${t.dir}/missing,dst=/m`] }));
    expect(err.message).toBe(`invalid mount config for type "bind": bind source path does not exist: ${t.dir}/missing`);
    expect(names()).toEqual([]);
  });

  it('removes the volumes it made when the container cannot be created', async () => {
    await createVolume(t.engine, { name: 'existing' });
    await t.create({}, { name: 'taken' });
    await expect(t.create({ volumes: ['existing:/a', 'fresh:/b', '/anon'] }, { name: 'taken' })).rejects.toThrow(/already in use/);
    expect(names()).toEqual(['existing']);
  });

  it('refuses to borrow a volume that has vanished, instead of making an empty one', async () => {
    await t.create({ volumes: ['bv1:/d'] }, { name: 'lender' });
    rmSync(join(t.engine.paths.volumesDir, 'bv1'), { recursive: true });
    expect((await errorOf(t.create({ volumesFrom: ['lender'] }))).message).toBe('get bv1: no such volume');
    expect(names()).toEqual([]);
  });

  it('refuses --volumes-from a container that does not exist', async () => {
    expect((await errorOf(t.create({ volumesFrom: ['ghost'] }))).message).toBe('No such container: ghost');
  });
});

describe.skipIf(!isRoot)('names that try to leave the volumes directory', () => {
  it.each(['..', '../escape', '../../etc', '/etc', 'a/../../b', '.', '.hidden', `..${'/x'}`])('%j', async (name) => {
    const outside = join(t.engine.paths.root, 'escape');
    const err = await errorOf(createVolume(t.engine, { name }));
    expect(err.message).toMatch(new RegExp(`^create ${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
    expect(err.exitCode).toBe(125);
    expect((await errorOf(() => inspectVolume(t.engine, name))).kind).toBe('not-found');
    expect((await errorOf(removeVolume(t.engine, name))).kind).toBe('not-found');
    // `-v ..:/x` and `-v /etc:/x` are binds (the CLI makes `.`-paths absolute); the rest fail.
    const viaFlag = await t.create({ volumes: [`${name}:/x`] }).catch((err: MinidockError) => err);
    if (viaFlag instanceof MinidockError) expect(viaFlag.message).toMatch(/^(create |invalid volume specification)/);
    else expect(viaFlag.Mounts.map((m) => m.Type)).toEqual(['bind']);
    expect((await errorOf(t.create({ mounts: [`type=volume,src=${name},dst=/x`] }))).message).toMatch(/^create /);
    expect(existsSync(outside)).toBe(false);
    expect(existsSync('/escape')).toBe(false);
    expect(names()).toEqual([]);
  });

  it('keeps a volume named like a path component inside the volumes dir', async () => {
    // `..x` and `x..` are fine names: one component, never `..` itself.
    for (const name of ['x..', 'a..b']) await createVolume(t.engine, { name });
    expect(readdirSync(t.engine.paths.volumesDir).sort()).toEqual(['a..b', 'x..']);
  });
});
