// Unpacked layers ("snapshots"): `snapshots/<chain-id hex>/fs` holds one layer's files in
// overlayfs form (whiteouts as 0/0 char devices, opaque dirs as xattrs), ready to be an
// overlay lowerdir. Keyed by chain ID, a layer stack shared by many images is unpacked
// once. A snapshot is unpacked into a temp dir and renamed into place (under the store
// lock), so a crash never leaves a half-unpacked snapshot under a real name.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Engine } from '../../engine.js';
import { writeJsonAtomic } from '../../state/atomic.js';
import { unpackLayer } from '../../overlay/unpack.js';
import { wrap } from '../../errors.js';
import { isOwnerAlive, processStartTime } from '../../state/lock.js';

export interface PendingSnapshot {
  tmpDir: string;
  size: number;
  warnings: string[];
}

interface SnapshotMeta {
  chainId: string;
  diffId: string;
  size: number;
}

export class Snapshots {
  constructor(private readonly engine: Engine) {}

  private get dir(): string {
    return this.engine.paths.snapshotsDir;
  }

  /** The directory to use as an overlay lowerdir. */
  fsDir(chainId: string): string {
    return join(this.engine.paths.snapshot(chainId), 'fs');
  }

  has(chainId: string): boolean {
    return existsSync(join(this.engine.paths.snapshot(chainId), 'meta.json'));
  }

  size(chainId: string): number {
    try {
      return (JSON.parse(readFileSync(join(this.engine.paths.snapshot(chainId), 'meta.json'), 'utf8')) as SnapshotMeta).size;
    } catch {
      return 0;
    }
  }

  /** Unpack a layer stream into a temp snapshot; `commit` gives it its name. */
  async unpack(input: Readable, what: string): Promise<PendingSnapshot> {
    // Named by the owner's pid and start time, so a stale one is told from a live one even
    // after the pid was reused.
    const tmpDir = join(this.dir, `.tmp-${process.pid}-${processStartTime(process.pid)}-${randomBytes(6).toString('hex')}`);
    mkdirSync(join(tmpDir, 'fs'), { recursive: true });
    try {
      const r = await unpackLayer(this.engine.host, input, join(tmpDir, 'fs'), { mode: 'overlay' });
      return { tmpDir, size: r.bytes, warnings: r.warnings };
    } catch (err) {
      rmSync(tmpDir, { recursive: true, force: true });
      throw wrap(`unpacking ${what}`, err);
    }
  }

  /** Give a pending snapshot its chain-ID name. Call with the store lock held. */
  commit(pending: PendingSnapshot, chainId: string, diffId: string): void {
    const final = this.engine.paths.snapshot(chainId);
    if (this.has(chainId)) {
      rmSync(pending.tmpDir, { recursive: true, force: true });
      return;
    }
    writeJsonAtomic(join(pending.tmpDir, 'meta.json'), { chainId, diffId, size: pending.size } satisfies SnapshotMeta);
    rmSync(final, { recursive: true, force: true }); // a leftover without meta.json
    renameSync(pending.tmpDir, final);
  }

  discard(pending: PendingSnapshot): void {
    rmSync(pending.tmpDir, { recursive: true, force: true });
  }

  /** Chain IDs of every committed snapshot. */
  list(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names.filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}`);
  }

  remove(chainId: string): void {
    rmSync(this.engine.paths.snapshot(chainId), { recursive: true, force: true });
  }

  /** Temp dirs of unpacks whose process died. */
  removeStale(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const n of names) {
      // `.tmp-<pid>-<start time>-<random>` (unpack); `.tmp-<pid>-<random>` (build's adopted
      // upper dirs) can only be judged by its pid.
      const parts = n.split('-');
      if (parts[0] !== '.tmp' || !/^\d+$/.test(parts[1] ?? '')) continue;
      const alive = parts.length === 4 ? isOwnerAlive(`${parts[1]} ${parts[2]}`) : processStartTime(Number(parts[1])) !== undefined;
      if (!alive) rmSync(join(this.dir, n), { recursive: true, force: true });
    }
  }
}

