// At start: the container's Mounts as bind/tmpfs requests for prepareStart. A volume is
// its `_data` directory (populated from the image on first use, copy-up.ts); a `-v` bind
// source that is missing is created (docker's -v rule), a `--mount` one is an error; a bind
// of a file is a file mount.
import { statSync } from 'node:fs';
import type { Engine } from '../../engine.js';
import { MinidockError, errnoCode, wrap } from '../../errors.js';
import type { Container } from '../model.js';
import { layeredView, type PlannedMountRequest } from '../prepare.js';
import type { LayeredView } from '../rootfs-view.js';
import { MountConfigError } from './docker-mount.js';
import { copyUpOnce } from './copy-up.js';
import { extrasOf } from './mount-spec.js';
import { VolumeStore } from './store.js';

/** Docker's defaults for tmpfs mounts (daemon/oci_linux.go), before the user's options. */
const TMPFS_DEFAULTS = ['noexec', 'nosuid', 'nodev'];

function statOrUndefined(path: string) {
  try {
    return statSync(path); // the host path is the user's: its symlinks are followed, as docker does
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw wrap(`checking bind source ${path}`, err, { kind: 'host' });
  }
}

export async function planVolumeMounts(engine: Engine, c: Container): Promise<PlannedMountRequest[]> {
  const store = new VolumeStore(engine);
  let view: LayeredView | undefined;
  const out: PlannedMountRequest[] = [];
  for (const m of c.Mounts) {
    const x = extrasOf(m);
    if (m.Type === 'volume') {
      const name = m.Name ?? '';
      try {
        store.require(name);
      } catch (err) {
        throw wrap(`error while mounting volume '${m.Source}'`, err);
      }
      if (!x.NoCopy) {
        view ??= layeredView(engine, c);
        try {
          await copyUpOnce(engine.host, store, name, view, m.Destination);
        } catch (err) {
          throw wrap(`copying the image's ${m.Destination} into volume ${name}`, err);
        }
      }
      out.push({ kind: 'bind', source: store.dataDir(name), target: m.Destination, readOnly: !m.RW });
    } else if (m.Type === 'bind') {
      let st = statOrUndefined(m.Source);
      if (!st) {
        if (!x.CreateSource) throw new MinidockError(new MountConfigError('bind', `bind source path does not exist: ${m.Source}`).message, { kind: 'invalid', exitCode: 125 });
        await engine.host.mkdir(m.Source, 'bind source of -v: docker creates a missing host directory');
        st = statOrUndefined(m.Source);
      }
      out.push({ kind: 'bind', source: m.Source, target: m.Destination, readOnly: !m.RW, ...(st && !st.isDirectory() ? { file: true } : {}) });
    } else {
      const data = (x.TmpfsOptions ?? '').split(',').filter(Boolean);
      if (!m.RW && !data.includes('ro')) data.unshift('ro');
      out.push({ kind: 'tmpfs', source: 'tmpfs', target: m.Destination, readOnly: !m.RW, options: [...TMPFS_DEFAULTS, ...data].join(',') });
    }
  }
  return out;
}
