// Copy-up: the first time a volume is mounted over a directory that has content in the
// image, that content is copied into the volume, as docker does (daemon populateVolumes,
// container.CopyImagePathContent): files with their owners, modes and times, and the
// volume's root takes the image directory's owner and mode. Only into an empty volume that
// has never been populated; afterwards the volume is marked and never copied into again.
//
// The copy is made in a staging directory beside `_data` (same filesystem, invisible to
// containers) and its top-level entries are renamed into `_data` at the end. So a container
// that already has the volume mounted can neither see a half copy nor plant a symlink in
// `_data` that the copy would write through: rename(2) replaces a name, it never follows it.
import { chmodSync, chownSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Host } from '../../host/host.js';
import type { LayeredView } from '../rootfs-view.js';
import { copyMergedTree, opaqueIn, readXattrs } from './copy-tree.js';
import { layersAt } from './merged-tree.js';
import type { VolumeStore } from './store.js';

const STAGING = '.copyup-';

export type CopyUpResult =
  | { copied: true; from: string; warnings: string[] }
  | { copied: false; reason: 'nocopy' | 'populated' | 'not-empty' | 'nothing-in-image' | 'dry-run' };

/**
 * `layer` and the directories on the way to `rel` inside it, as long as each one is a real
 * directory in that layer (a symlink there is never walked through).
 */
function dirsOnPath(layer: string, rel: string): string[] {
  const out: string[] = [];
  let p = layer;
  for (const part of ['', ...rel.split('/')]) {
    p = part ? join(p, part) : p;
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (!st?.isDirectory()) break;
    out.push(p);
  }
  return out;
}

/**
 * Populate volume `name` from `destination` in `view` if it has never been populated and
 * is empty. Takes the volume's own lock: two containers starting together copy once.
 */
export async function copyUpOnce(host: Host, store: VolumeStore, name: string, view: LayeredView, destination: string): Promise<CopyUpResult> {
  return store.lockedVolume(name, async (): Promise<CopyUpResult> => {
    if (store.require(name).Populated) return { copied: false, reason: 'populated' };
    const data = store.dataDir(name);
    const volumeDir = join(data, '..');
    if (readdirSync(data).length > 0) {
      // Used and written already (a nocopy mount, a bind of _data): docker would not copy either.
      store.update(name, { Populated: true });
      return { copied: false, reason: 'not-empty' };
    }
    const r = view.resolve(destination);
    if (!r.stat?.isDirectory() || r.rel === '') return { copied: false, reason: 'nothing-in-image' };
    if (host.mode !== 'real') {
      host.comment(`copy the image's ${destination} into volume ${name} (first use)`);
      return { copied: false, reason: 'dry-run' };
    }
    // Opaque markers of the lower layers decide what is visible: read them (and the
    // attributes to copy) with two getfattr runs, one for the path's ancestors, one recursive.
    const upper = view.dirs.slice(0, -1); // the bottom layer's opaque marks hide nothing
    const ancestorXattrs = await readXattrs(host, upper.flatMap((l) => dirsOnPath(l, r.rel)), false);
    const layers = layersAt(view.dirs, r.rel, opaqueIn(ancestorXattrs));
    const xattrs = await readXattrs(host, layers.map((l) => join(l, r.rel)), true);

    for (const n of readdirSync(volumeDir)) if (n.startsWith(STAGING)) rmSync(join(volumeDir, n), { recursive: true, force: true });
    const staging = join(volumeDir, `${STAGING}${randomBytes(4).toString('hex')}`);
    mkdirSync(staging, { mode: 0o700 });
    try {
      const { warnings } = await copyMergedTree(host, layers, r.rel, staging, xattrs);
      const entries = readdirSync(staging);
      if (readdirSync(data).length > 0) return { copied: false, reason: 'not-empty' }; // a running container wrote first
      for (const n of entries) renameSync(join(staging, n), join(data, n));
      // copyOwnership: the volume's root looks like the image's directory.
      chownSync(data, r.stat.uid, r.stat.gid);
      chmodSync(data, r.stat.mode & 0o7777);
      store.update(name, { Populated: true });
      for (const w of warnings) host.comment(`WARNING: volume ${name}: ${w}`);
      return { copied: true, from: destination, warnings };
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  });
}
