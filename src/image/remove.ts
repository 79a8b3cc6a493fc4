// `rmi` and `image prune`: docker's rules for untagging and deleting, then garbage collection
// of the blobs and snapshots nothing references any more.
import { MinidockError } from '../errors.js';
import { shortId } from './digest.js';
import { parseReference } from './reference.js';
import { resolveImage } from './store/resolve.js';
import { collectGarbage } from './store/gc.js';
import { indexFromRecords, writeIndex } from './store/catalog.js';
import type { ImageRecord, ImageStore } from './store/store.js';

export interface ImageUser {
  id: string;
  running: boolean;
}

/** Who uses an image: containers, known to the runtime. */
export type UsersOf = (imageId: string) => ImageUser[];

export interface RemoveOptions {
  force?: boolean;
  /** docker's --no-prune: keep untagged parents. */
  noPrune?: boolean;
  usersOf?: UsersOf;
  /** Snapshots mounted by containers: never collected. */
  inUseChains?: Iterable<string>;
}

/** One line per action, in docker's words: "Untagged: busybox:latest", "Deleted: sha256:…". */
export type RemoveEvent = { untagged: string } | { deleted: string };

function familiar(ref: string): string {
  try {
    return parseReference(ref).familiarString();
  } catch {
    return ref;
  }
}

/** isImageIDPrefix: the argument is (a prefix of) the image's ID, with or without `sha256:`. */
function isImageIdPrefix(imageId: string, arg: string): boolean {
  return imageId.startsWith(arg) || imageId.slice('sha256:'.length).startsWith(arg);
}

function conflict(message: string): MinidockError {
  return new MinidockError(message, { kind: 'conflict' });
}

/** A repository reference: a tag (`…/x:1`) or a digest one (`…/x@sha256:…`). */
interface RepoRef {
  full: string;
  name: string;
  canonical: boolean;
}

function repoRefsOf(rec: ImageRecord): RepoRef[] {
  const out: RepoRef[] = [];
  for (const full of [...rec.refs, ...rec.repoDigests]) {
    try {
      const r = parseReference(full);
      out.push({ full, name: r.name, canonical: r.digest !== undefined });
    } catch {
      out.push({ full, name: full, canonical: full.includes('@') });
    }
  }
  // docker's reference store lists them sorted by their full string.
  return out.sort((a, b) => (a.full < b.full ? -1 : a.full > b.full ? 1 : 0));
}

function dropRef(rec: ImageRecord, full: string): void {
  rec.refs = rec.refs.filter((r) => r !== full);
  rec.repoDigests = rec.repoDigests.filter((r) => r !== full);
}

/** isSingleReference: every reference is in one repository and at most one is a tag. */
function isSingleReference(refs: RepoRef[]): boolean {
  if (refs.length <= 1) return refs.length === 1;
  const tags = refs.filter((r) => !r.canonical);
  if (tags.length > 1) return false;
  const canonicalNames = new Set(refs.filter((r) => r.canonical).map((r) => r.name));
  const single = tags[0] ?? refs[0];
  return canonicalNames.size === 1 && canonicalNames.has(single.name);
}

interface Conflict {
  hard: boolean;
  used: boolean;
  message: string;
}

const HARD = { children: true, running: true } as const;
type Mask = { children?: boolean; running?: boolean; references?: boolean; stopped?: boolean };
const ALL: Mask = { ...HARD, references: true, stopped: true };

/**
 * The state of one `rmi` run: the catalogue being edited and what happened, following
 * moby's daemon/images/image_delete.go (ImageDelete, imageDeleteHelper) step by step.
 */
class Deletion {
  constructor(
    public records: ImageRecord[],
    readonly usersOf: UsersOf,
    readonly events: RemoveEvent[],
  ) {}

  children(id: string): ImageRecord[] {
    return this.records.filter((r) => r.parent === id);
  }

  isDangling(rec: ImageRecord): boolean {
    return rec.refs.length === 0 && rec.repoDigests.length === 0 && this.children(rec.id).length === 0;
  }

  /** checkImageDeleteConflict, in docker's order: children, running, references, stopped. */
  conflictOf(rec: ImageRecord, mask: Mask): Conflict | undefined {
    if (mask.children && this.children(rec.id).length > 0) return { hard: true, used: false, message: 'image has dependent child images' };
    const users = this.usersOf(rec.id);
    const running = users.find((u) => u.running);
    if (mask.running && running) return { hard: true, used: true, message: `image is being used by running container ${shortId(running.id)}` };
    if (mask.references && rec.refs.length + rec.repoDigests.length > 0) {
      return { hard: false, used: false, message: 'image is referenced in multiple repositories' };
    }
    const stopped = users.find((u) => !u.running);
    if (mask.stopped && stopped) return { hard: false, used: true, message: `image is being used by stopped container ${shortId(stopped.id)}` };
    return undefined;
  }

  untagAll(rec: ImageRecord): void {
    for (const r of repoRefsOf(rec)) this.events.push({ untagged: familiar(r.full) });
    rec.refs = [];
    rec.repoDigests = [];
  }

  /** imageDeleteHelper: delete unless there is a conflict (soft ones only stop it without force). */
  deleteHelper(rec: ImageRecord, force: boolean, prune: boolean, quiet: boolean): void {
    const c = this.conflictOf(rec, force ? HARD : ALL);
    if (c) {
      // A quiet delete (after untagging, or of a parent) ignores conflicts unless the image
      // would be left dangling and unused: then the user must hear why it stayed.
      if (quiet && (!this.isDangling(rec) || c.used)) return;
      throw conflict(`conflict: unable to delete ${shortId(rec.id)} (${c.hard ? 'cannot be forced' : 'must be forced'}) - ${c.message}`);
    }
    this.untagAll(rec);
    this.records = this.records.filter((r) => r !== rec);
    this.events.push({ deleted: rec.id });
    if (!prune || !rec.parent) return;
    const parent = this.records.find((r) => r.id === rec.parent);
    if (parent) this.deleteHelper(parent, false, true, true);
  }
}

/** ImageDelete for one argument. */
function deleteOne(d: Deletion, arg: string, force: boolean, prune: boolean): void {
  const rec = resolveImage(d.records, arg);
  let refs = repoRefsOf(rec);
  let quiet = false;
  if (!isImageIdPrefix(rec.id, arg)) {
    // A repository reference: remove it first. With containers using the image and no other
    // name left, that would leave them on a dangling image: docker wants -f for that.
    const user = d.usersOf(rec.id)[0];
    if (!force && isSingleReference(refs) && user) {
      throw conflict(`conflict: unable to remove repository reference ${JSON.stringify(arg)} (must force) - container ${shortId(user.id)} is using its referenced image ${shortId(rec.id)}`);
    }
    const ref = parseReference(arg).withDefaultTag();
    dropRef(rec, ref.toString());
    d.events.push({ untagged: ref.familiarString() });
    refs = repoRefsOf(rec);
    // Untagging the last tag of a repository also drops that repository's digest references.
    if (!ref.digest && !refs.some((r) => !r.canonical && r.name === ref.name)) {
      for (const r of refs.filter((x) => x.canonical && x.name === ref.name)) {
        dropRef(rec, r.full);
        d.events.push({ untagged: familiar(r.full) });
      }
      refs = repoRefsOf(rec);
    }
    if (refs.length > 0) return;
    quiet = true;
  } else if (isSingleReference(refs)) {
    // An ID with one name (or one repository's digests): the name goes with the image.
    const c = d.conflictOf(rec, force ? HARD : { ...HARD, stopped: true });
    if (c) throw conflict(`conflict: unable to delete ${shortId(rec.id)} (${c.hard ? 'cannot be forced' : 'must be forced'}) - ${c.message}`);
    d.untagAll(rec);
  }
  d.deleteHelper(rec, force, prune, quiet);
}

/**
 * Remove images named by `args`. Errors for one argument do not stop the others (docker
 * reports each and exits 1); they are returned with the events. After each argument, the
 * blobs and snapshots nothing references any more are collected ("Deleted: <chain ID>").
 */
export async function removeImages(store: ImageStore, args: string[], opts: RemoveOptions = {}): Promise<{ events: RemoveEvent[]; errors: MinidockError[] }> {
  const events: RemoveEvent[] = [];
  const errors: MinidockError[] = [];
  const usersOf = opts.usersOf ?? (() => []);
  const inUse = [...(opts.inUseChains ?? [])];
  await store.lock(async () => {
    for (const arg of args) {
      const d = new Deletion(store.list(), usersOf, []);
      try {
        deleteOne(d, arg, opts.force ?? false, !(opts.noPrune ?? false));
      } catch (err) {
        errors.push(err instanceof MinidockError ? err : new MinidockError(String((err as Error).message ?? err), { cause: err }));
        continue;
      }
      writeIndex(store.engine.paths, indexFromRecords(d.records));
      events.push(...d.events);
      if (d.events.some((e) => 'deleted' in e)) {
        const gc = await collectGarbage(store, inUse);
        for (const c of gc.snapshots) events.push({ deleted: c });
      }
    }
  });
  return { events, errors };
}

export interface PruneResult {
  deleted: RemoveEvent[];
  reclaimed: number;
}

/** `image prune`: dangling images (untagged, no tagged child), or with `all` every image no container uses. */
export async function pruneImages(store: ImageStore, opts: { all?: boolean; usersOf?: UsersOf; inUseChains?: Iterable<string>; filter?: (r: ImageRecord) => boolean } = {}): Promise<PruneResult> {
  const usersOf = opts.usersOf ?? (() => []);
  const deleted: RemoveEvent[] = [];
  let reclaimed = 0;
  await store.lock(async () => {
    let records = store.list();
    for (;;) {
      const victim = records.find(
        (r) =>
          (opts.all || r.refs.length === 0) &&
          usersOf(r.id).length === 0 &&
          !records.some((c) => c.parent === r.id) &&
          (opts.filter ? opts.filter(r) : true),
      );
      if (!victim) break;
      for (const ref of repoRefsOf(victim)) deleted.push({ untagged: familiar(ref.full) });
      deleted.push({ deleted: victim.id });
      records = records.filter((r) => r !== victim);
    }
    writeIndex(store.engine.paths, indexFromRecords(records));
    const gc = await collectGarbage(store, opts.inUseChains);
    reclaimed = gc.bytes;
    for (const c of gc.snapshots) deleted.push({ deleted: c });
  });
  return { deleted, reclaimed };
}
