// Volumes on disk: `volumes/<name>/{volume.json,_data}`. Creating and removing volumes
// happens under one `volumes` lock (shared by every minidock process on the root), so two
// commands creating the same name get the same volume and a prune never races a create.
// A volume is removed by renaming its directory to a tombstone first: it leaves listings at
// once, and a crash in the middle of a large `rm -rf` leaves no half volume behind.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Engine } from '../../engine.js';
import { MinidockError, errnoCode, notFound } from '../../errors.js';
import { writeJsonAtomic } from '../../state/atomic.js';
import { withLock } from '../../state/lock.js';
import { ANONYMOUS_LABEL, anonymousVolumeName, assertVolumeName, volumeNameProblem } from './names.js';
import { DATA_DIR, RECORD_FILE, readRecord, rfc3339, type VolumeRecord } from './record.js';

export interface CreateVolumeRequest {
  /** Omitted or '': a random name (docker's `volume create` without NAME). */
  name?: string;
  driver?: string;
  /** null: docker's "Labels": null (a volume made by `-v name:/x`); {}: `volume create`. */
  labels?: Record<string, string> | null;
  options?: Record<string, string> | null;
  /** A container's own volume (`-v /x`, VOLUME): labelled so `prune` and `rm -v` know it. */
  anonymous?: boolean;
}

const TOMBSTONE = '.removing-';

export class VolumeStore {
  constructor(readonly engine: Engine) {}

  /** `volumes/<name>`; the name is checked first, so the path cannot leave the volumes dir. */
  dir(name: string): string {
    assertVolumeName(name);
    const dir = join(this.engine.paths.volumesDir, name);
    if (dirname(dir) !== this.engine.paths.volumesDir) throw new MinidockError(`volume name ${JSON.stringify(name)} leaves the volumes directory`, { kind: 'invalid' });
    return dir;
  }

  /** What containers mount: `volumes/<name>/_data`. */
  dataDir(name: string): string {
    return join(this.dir(name), DATA_DIR);
  }

  /** Serialise volume creation and removal across processes. */
  locked<T>(fn: () => Promise<T> | T): Promise<T> {
    return withLock(this.engine.paths.lock('volumes'), fn, { what: 'volumes' });
  }

  /** Serialise the copy-up into one volume (two containers starting at once). */
  lockedVolume<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
    assertVolumeName(name);
    return withLock(this.engine.paths.lock(`volume-${name}`), fn, { what: `volume ${name}` });
  }

  /** The volume, or undefined — also for a name that could never be a volume (`../etc`). */
  get(name: string): VolumeRecord | undefined {
    if (volumeNameProblem(name)) return undefined;
    return readRecord(this.dir(name));
  }

  /** docker's lookup error: `get NAME: no such volume`. */
  require(name: string): VolumeRecord {
    const v = this.get(name);
    if (!v) throw notFound(`get ${name}: no such volume`);
    return v;
  }

  /** Every volume whose record is complete, by name. */
  list(): VolumeRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.engine.paths.volumesDir);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw err;
    }
    const out: VolumeRecord[] = [];
    for (const name of names) {
      if (volumeNameProblem(name)) continue; // tombstones and stray files
      const r = readRecord(join(this.engine.paths.volumesDir, name));
      if (r) out.push(r);
    }
    return out.sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  }

  /** Create a volume, or return the existing one of that name (docker's rule). Lock held. */
  createLocked(req: CreateVolumeRequest): { volume: VolumeRecord; created: boolean } {
    const name = req.name || anonymousVolumeName();
    // docker's order: the driver is looked up, then the local driver checks name and options.
    const driver = req.driver || 'local';
    if (driver !== 'local') {
      throw notFound(`create ${name}: error looking up volume plugin ${driver}: plugin "${driver}" not found`);
    }
    assertVolumeName(name);
    if (req.options && Object.keys(req.options).length) {
      const keys = Object.keys(req.options).map((k) => JSON.stringify(k)).join(', ');
      throw new MinidockError(`create ${name}: driver options are not supported by minidock's local driver (got ${keys})`, { kind: 'usage' });
    }
    const dir = this.dir(name);
    const existing = readRecord(dir);
    if (existing) return { volume: existing, created: false };
    // A directory without a record is a create that crashed: it is taken over.
    mkdirSync(this.engine.paths.volumesDir, { recursive: true, mode: 0o701 });
    mkdirSync(join(dir, DATA_DIR), { recursive: true, mode: 0o755 });
    const labels = req.anonymous ? { ...req.labels, [ANONYMOUS_LABEL]: '' } : (req.labels ?? null);
    const volume: VolumeRecord = {
      Name: name,
      Driver: 'local',
      Mountpoint: join(dir, DATA_DIR),
      CreatedAt: rfc3339(new Date()),
      Labels: labels,
      Options: req.options ?? null,
      Scope: 'local',
    };
    // Last, and with link(2): until now no volume is listed, and if another process made
    // the same volume meanwhile (the lock is the first guard, this the second) its record
    // stays and is the answer.
    const tmp = join(dir, `.${RECORD_FILE}.${process.pid}-${randomBytes(4).toString('hex')}`);
    writeJsonAtomic(tmp, volume);
    try {
      linkSync(tmp, join(dir, RECORD_FILE));
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      return { volume: readRecord(dir)!, created: false };
    } finally {
      rmSync(tmp, { force: true });
    }
    return { volume, created: true };
  }

  async create(req: CreateVolumeRequest): Promise<VolumeRecord> {
    return this.locked(() => this.createLocked(req).volume);
  }

  /** Delete a volume and its data. Lock held; callers check that it is unused. */
  removeLocked(name: string): void {
    const dir = this.dir(name);
    const tomb = join(this.engine.paths.volumesDir, `${TOMBSTONE}${name}-${randomBytes(4).toString('hex')}`);
    try {
      renameSync(dir, tomb);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return;
      throw err;
    }
    rmSync(tomb, { recursive: true, force: true });
    this.sweepTombstones();
  }

  /** Tombstones of removals that were interrupted. Lock held. */
  private sweepTombstones(): void {
    for (const n of readdirSync(this.engine.paths.volumesDir)) {
      if (n.startsWith(TOMBSTONE)) rmSync(join(this.engine.paths.volumesDir, n), { recursive: true, force: true });
    }
  }

  /** Rewrite a volume's record (the Populated mark). Per-volume lock held. */
  update(name: string, patch: Partial<VolumeRecord>): VolumeRecord {
    const v = this.require(name);
    const next = { ...v, ...patch, Name: v.Name };
    writeJsonAtomic(join(this.dir(name), RECORD_FILE), next);
    return next;
  }
}
