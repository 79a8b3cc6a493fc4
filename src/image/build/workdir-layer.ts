// WORKDIR makes its directory as BuildKit does (llb.Mkdir(wd, 0755, WithParents,
// WithUser(USER))): missing components are created 0755 and owned by the USER in force; an
// existing directory makes no layer at all (BuildKit drops the empty diff).
import { invalid } from '../../errors.js';
import type { PlannedEntry } from '../../overlay/tarstream.js';
import type { LayeredView } from '../../runtime/rootfs-view.js';
import { planCopy } from './copy-plan.js';
import { imageDirInfo, imageOwner } from './image-view.js';

/** The tar entries that create `wd` (absolute, normalised) in the image; [] when it exists. */
export function workdirEntries(view: LayeredView, wd: string, user: string | undefined, epoch: number): PlannedEntry[] {
  const r = view.resolve(wd);
  if (r.stat?.isDirectory()) return [];
  if (r.stat) throw invalid(`WORKDIR ${wd}: it exists in the image and is not a directory`);
  const owner = user ? imageOwner(view, user) : { uid: 0, gid: 0 };
  const dir = { rel: '', kind: 'dir' as const, mode: 0o755, uid: owner.uid, gid: owner.gid, size: 0, mtime: epoch };
  return planCopy([{ name: '', entries: [dir] }], { rel: r.rel, wantsDir: true }, { owner, mtimeClamp: epoch, command: 'WORKDIR', imageDir: imageDirInfo(view) });
}
