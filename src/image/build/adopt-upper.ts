// A finished RUN's overlay upper dir already is its layer in overlayfs form (whiteouts as 0/0
// devices, opaque directories marked): rather than unpack the layer tar just made from it into
// a new snapshot (a second full write of the data), the upper dir itself is renamed into the
// snapshots directory. Its mtimes are clamped first, as the layer tar clamps them, so that the
// snapshot and the blob describe the same files whether a later build unpacks the blob or not.
// Left in place: overlayfs's own bookkeeping xattrs (trusted.overlay.origin/impure/uuid). The
// kernel reads them on an upper layer only; on a lower layer, which this becomes, they are
// ignored (index=off), and layer tars never carry them (overlay/xattrs.ts policy).
import { randomBytes } from 'node:crypto';
import { lutimesSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { errnoCode } from '../../errors.js';
import { walkTree } from '../../overlay/walk.js';
import type { PendingSnapshot } from '../store/snapshots.js';

/** The upper dir as a pending snapshot, or undefined when it cannot be moved (another filesystem). */
export function adoptUpper(upperDir: string, snapshotsDir: string, epoch: number, size: number): PendingSnapshot | undefined {
  for (const { abs, st } of walkTree(upperDir)) {
    if (st.mtimeMs / 1000 > epoch) lutimesSync(abs, st.atimeMs / 1000, epoch);
  }
  const tmpDir = join(snapshotsDir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  mkdirSync(tmpDir, { recursive: true });
  try {
    renameSync(upperDir, join(tmpDir, 'fs'));
  } catch (err) {
    rmSync(tmpDir, { recursive: true, force: true });
    if (errnoCode(err) === 'EXDEV') return undefined;
    throw err;
  }
  return { tmpDir, size, warnings: [] };
}
