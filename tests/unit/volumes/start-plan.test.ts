// planVolumeMounts with a RecordingHost: what a start asks prepareStart to mount, the
// host directory -v creates, and the bind source --mount refuses to invent.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/engine.js';
import { RecordingHost } from '../../../src/host/script.js';
import type { MountSpec } from '../../../src/runtime/model.js';
import { planVolumeMounts } from '../../../src/runtime/volumes/start.js';
import { VolumeStore } from '../../../src/runtime/volumes/store.js';
import { makeContainer } from './fixtures.js';

let dir: string;
let host: RecordingHost;
let engine: Engine;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'minidock-volstart-'));
  host = new RecordingHost();
  engine = createEngine({ host, root: join(dir, 'root') });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('planVolumeMounts', () => {
  it('mounts a volume\'s _data, a bind as it is, and a tmpfs with docker\'s defaults', async () => {
    const store = new VolumeStore(engine);
    await store.create({ name: 'data1' });
    mkdirSync(join(dir, 'hostdir'));
    writeFileSync(join(dir, 'hostfile'), 'x');
    const mounts = [
      { Type: 'volume', Name: 'data1', Source: store.dataDir('data1'), Destination: '/data', RW: false, Options: 'ro', NoCopy: true },
      { Type: 'bind', Source: join(dir, 'hostdir'), Destination: '/dir', RW: true, Options: '' },
      { Type: 'bind', Source: join(dir, 'hostfile'), Destination: '/etc/app.conf', RW: false, Options: 'ro' },
      { Type: 'tmpfs', Source: '', Destination: '/t', RW: true, Options: '', TmpfsOptions: 'mode=1777,size=64m' },
      { Type: 'tmpfs', Source: '', Destination: '/ro', RW: false, Options: '', TmpfsOptions: 'ro' },
    ] as MountSpec[];
    const plan = await planVolumeMounts(engine, makeContainer({ mounts }));
    expect(plan).toEqual([
      { kind: 'bind', source: join(dir, 'root/volumes/data1/_data'), target: '/data', readOnly: true },
      { kind: 'bind', source: join(dir, 'hostdir'), target: '/dir', readOnly: false },
      { kind: 'bind', source: join(dir, 'hostfile'), target: '/etc/app.conf', readOnly: true, file: true },
      { kind: 'tmpfs', source: 'tmpfs', target: '/t', readOnly: false, options: 'noexec,nosuid,nodev,mode=1777,size=64m' },
      { kind: 'tmpfs', source: 'tmpfs', target: '/ro', readOnly: true, options: 'noexec,nosuid,nodev,ro' },
    ]);
    expect(host.calls).toEqual([]);
  });

  it('creates a missing -v host directory through the Host', async () => {
    const src = join(dir, 'not', 'yet');
    const c = makeContainer({ mounts: [{ Type: 'bind', Source: src, Destination: '/x', RW: true, Options: '', CreateSource: true } as MountSpec] });
    const plan = await planVolumeMounts(engine, c);
    expect(plan).toEqual([{ kind: 'bind', source: src, target: '/x', readOnly: false }]);
    expect(host.calls).toEqual([{ op: 'mkdir', path: src, why: 'bind source of -v: docker creates a missing host directory' }]);
  });

  it('refuses a missing --mount bind source', async () => {
    const src = join(dir, 'gone');
    const c = makeContainer({ mounts: [{ Type: 'bind', Source: src, Destination: '/x', RW: true, Options: '' }] });
    await expect(planVolumeMounts(engine, c)).rejects.toThrow(`invalid mount config for type "bind": bind source path does not exist: ${src}`);
    expect(host.calls).toEqual([]);
  });

  it('refuses a volume that no longer exists', async () => {
    const c = makeContainer({ mounts: [{ Type: 'volume', Name: 'vanished', Source: '/x', Destination: '/x', RW: true }] });
    await expect(planVolumeMounts(engine, c)).rejects.toThrow("error while mounting volume '/x': get vanished: no such volume");
  });

  it('only says, in dry-run, that it would copy the image content', async () => {
    const layer = join(dir, 'layer');
    mkdirSync(join(layer, 'etc'), { recursive: true });
    writeFileSync(join(layer, 'etc', 'motd'), 'hello');
    await new VolumeStore(engine).create({ name: 'etcvol' });
    const c = makeContainer({ mounts: [{ Type: 'volume', Name: 'etcvol', Source: '', Destination: '/etc', RW: true }] });
    // layeredView reads the snapshots of c.Layers; with no layers it sees only the upper dir.
    mkdirSync(join(dir, 'root/containers', c.Id, 'upper/etc'), { recursive: true });
    writeFileSync(join(dir, 'root/containers', c.Id, 'upper/etc/motd'), 'hello');
    await planVolumeMounts(engine, c);
    expect(host.calls).toEqual([{ op: 'comment', text: "copy the image's /etc into volume etcvol (first use)" }]);
    expect(new VolumeStore(engine).get('etcvol')?.Populated).toBeUndefined();
  });
});
