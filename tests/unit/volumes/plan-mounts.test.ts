// Which mount lands on each destination: docker's precedence between --volumes-from, -v,
// --mount, --tmpfs and the image's VOLUME, and "Duplicate mount point".
import { describe, expect, it } from 'vitest';
import type { MountSpec } from '../../../src/runtime/model.js';
import { parseMountFlag } from '../../../src/runtime/volumes/parse-mount-flag.js';
import { parseVolumeFlag, parseVolumesFrom } from '../../../src/runtime/volumes/parse-volume-flag.js';
import { planMountPoints, type MountPlanInput } from '../../../src/runtime/volumes/plan-mounts.js';

const v = (...flags: string[]) => flags.map((f) => parseVolumeFlag(f, '/cwd'));
const m = (...flags: string[]) => flags.map((f) => parseMountFlag(f, '/cwd'));
const byDest = (input: MountPlanInput) => Object.fromEntries(planMountPoints(input).map((p) => [p.destination, p]));

const web: MountSpec[] = [
  { Type: 'volume', Name: 'webdata', Source: '/r/volumes/webdata/_data', Destination: '/data', RW: true, Options: 'z' },
  { Type: 'volume', Name: 'a'.repeat(64), Source: '/r/volumes/aaa/_data', Destination: '/cache', RW: true, Options: '', Anonymous: true },
  { Type: 'bind', Source: '/srv/conf', Destination: '/conf', RW: false, Options: 'ro', Propagation: 'rprivate' } as MountSpec,
  { Type: 'tmpfs', Source: '', Destination: '/scratch', RW: true, Options: '' },
];

describe('planMountPoints', () => {
  it('turns -v values into binds and named volumes with docker\'s modes', () => {
    const p = byDest({ binds: v('/h:/b:ro', 'data:/d', 'logs:/l:ro,nocopy', './rel:/r') });
    expect(p['/b']).toMatchObject({ type: 'bind', source: '/h', rw: false, mode: 'ro', propagation: 'rprivate', createSource: true });
    expect(p['/d']).toMatchObject({ type: 'volume', name: 'data', rw: true, mode: 'z', anonymous: false, noCopy: false });
    expect(p['/l']).toMatchObject({ type: 'volume', name: 'logs', rw: false, mode: 'ro,nocopy', noCopy: true });
    expect(p['/r']).toMatchObject({ type: 'bind', source: '/cwd/rel' });
  });

  it('turns --mount values into binds that must exist, volumes and tmpfs mounts', () => {
    const p = byDest({
      mounts: m('type=bind,src=/h,dst=/b,readonly', 'type=volume,dst=/anon', 'type=volume,src=v1,dst=/v,volume-nocopy,volume-label=k=v', 'type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=700'),
    });
    expect(p['/b']).toMatchObject({ type: 'bind', source: '/h', rw: false, mode: '', createSource: false });
    expect(p['/anon']).toMatchObject({ type: 'volume', name: '', anonymous: true, mode: 'z' });
    expect(p['/v']).toMatchObject({ type: 'volume', name: 'v1', anonymous: false, noCopy: true, labels: { k: 'v' } });
    expect(p['/t']).toMatchObject({ type: 'tmpfs', tmpfsOptions: 'mode=700,size=1m', rw: true });
  });

  it('gives every image VOLUME not covered by a mount or a --tmpfs its own anonymous volume', () => {
    const p = byDest({ binds: v('/h:/covered/'), tmpfs: ['/tmp/'], configVolumes: ['/covered', '/tmp', '/data/', '/x/../y'] });
    expect(Object.keys(p).sort()).toEqual(['/covered', '/data', '/y']);
    expect(p['/covered'].type).toBe('bind');
    expect(p['/data']).toMatchObject({ type: 'volume', name: '', anonymous: true, rw: true, noCopy: false, mode: '' });
    expect(p['/y'].anonymous).toBe(true);
  });

  it.each<[string, MountPlanInput, string]>([
    ['two -v on one path', { binds: v('/a:/data', 'vol:/data') }, 'Duplicate mount point: /data'],
    ['two -v on one cleaned path', { binds: v('/a:/data/', 'vol:/x/../data') }, 'Duplicate mount point: /data'],
    ['-v on a --tmpfs path', { binds: v('/a:/run'), tmpfs: ['/run'] }, 'Duplicate mount point: /run'],
    ['--mount on a -v path (its target as typed)', { binds: v('/a:/data'), mounts: m('type=volume,dst=/data/') }, 'Duplicate mount point: /data/'],
    ['two --mount on one path', { mounts: m('type=tmpfs,dst=/t', 'type=volume,dst=/t') }, 'Duplicate mount point: /t'],
    ['a relative image VOLUME', { configVolumes: ['data'] }, `invalid volume specification: 'data': invalid mount config for type "volume": invalid mount path: 'data' mount path must be absolute`],
    ['an image VOLUME /', { configVolumes: ['/'] }, `invalid volume specification: '/': invalid mount config for type "volume": invalid specification: destination can't be '/'`],
  ])('refuses %s', (_what, input, message) => {
    expect(() => planMountPoints(input)).toThrow(message);
  });

  it('borrows --volumes-from mounts: same volumes, no tmpfs, read-only with :ro, never copied into', () => {
    const p = byDest({ volumesFrom: [{ spec: parseVolumesFrom('web:ro'), mounts: web }] });
    expect(Object.keys(p).sort()).toEqual(['/cache', '/conf', '/data']);
    expect(p['/data']).toMatchObject({ type: 'volume', name: 'webdata', rw: false, noCopy: true, anonymous: false, mode: 'z' });
    expect(p['/cache']).toMatchObject({ type: 'volume', name: 'a'.repeat(64), anonymous: true, rw: false });
    expect(p['/conf']).toMatchObject({ type: 'bind', source: '/srv/conf', rw: false, propagation: 'rprivate' });
    const rw = byDest({ volumesFrom: [{ spec: parseVolumesFrom('web'), mounts: web }] });
    expect(rw['/data'].rw).toBe(true);
    expect(rw['/conf'].rw).toBe(false); // read-only at the source stays read-only
  });

  it('lets -v and --mount replace a borrowed mount, and a later --volumes-from an earlier one', () => {
    const other: MountSpec[] = [{ Type: 'volume', Name: 'other', Source: '/x', Destination: '/data', RW: true }];
    const p = byDest({
      volumesFrom: [
        { spec: parseVolumesFrom('web'), mounts: web },
        { spec: parseVolumesFrom('other'), mounts: other },
      ],
      binds: v('/h:/conf'),
      mounts: m('type=volume,src=mine,dst=/cache'),
      configVolumes: ['/data'],
    });
    expect(p['/data'].name).toBe('other');
    expect(p['/conf']).toMatchObject({ type: 'bind', source: '/h' });
    expect(p['/cache']).toMatchObject({ name: 'mine', anonymous: false });
  });
});
