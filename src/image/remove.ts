// `rmi` and `image prune`: docker's rules for untagging and deleting, then garbage collection
// of the blobs and snapshots nothing references any more.
import { MinidockError, notFound } from '../errors.js';
import { shortId } from './digest.js';
import { parseReference } from './reference.js';
import { matchImage } from './store/resolve.js';
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

function isIdLike(arg: string, rec: ImageRecord): boolean {
  const hex = arg.replace(/^sha256:/, '');
  return /^[a-f0-9]{1,64}$/.test(hex) && rec.id.startsWith(`sha256:${hex}`) && !rec.refs.includes(fullRef(arg));
}

function fullRef(arg: string): string {
  try {
    return parseReference(arg).withDefaultTag().toString();
  } catch {
    return '';
  }
}

function conflict(message: string): MinidockError {
  return new MinidockError(message, { kind: 'conflict' });
}

/**
 * Remove images named by `args`. Errors for one argument do not stop the others (docker
 * reports each and exits 1); they are returned with the events.
 */
export async function removeImages(store: ImageStore, args: string[], opts: RemoveOptions = {}): Promise<{ events: RemoveEvent[]; errors: MinidockError[] }> {
  const events: RemoveEvent[] = [];
  const errors: MinidockError[] = [];
  const usersOf = opts.usersOf ?? (() => []);
  await store.lock(async () => {
    for (const arg of args) {
      const before = events.length;
      try {
        const records = store.list();
        const rec = matchImage(records, arg);
        if (!rec) throw notFound(`No such image: ${arg}`);
        const users = usersOf(rec.id);
        const running = users.find((u) => u.running);
        let untagOnly: string[];
        let deleteImage: boolean;
        if (isIdLike(arg, rec)) {
          if (rec.refs.length > 1 && !opts.force) {
            throw conflict(`conflict: unable to delete ${shortId(rec.id)} (must be forced) - image is referenced in multiple repositories`);
          }
          if (running) {
            throw conflict(`conflict: unable to delete ${shortId(rec.id)} (cannot be forced) - image is being used by running container ${shortId(running.id)}`);
          }
          if (users.length && !opts.force) {
            throw conflict(`conflict: unable to delete ${shortId(rec.id)} (must be forced) - image is being used by stopped container ${shortId(users[0].id)}`);
          }
          const children = records.filter((r) => r.parent === rec.id && !r.intermediate);
          if (children.length) {
            throw conflict(`conflict: unable to delete ${shortId(rec.id)} (cannot be forced) - image has dependent child images`);
          }
          untagOnly = [...rec.refs];
          deleteImage = users.length === 0;
        } else {
          const ref = parseReference(arg).withDefaultTag();
          const name = ref.toString();
          untagOnly = rec.refs.includes(name) ? [name] : [];
          if (ref.digest) rec.repoDigests = rec.repoDigests.filter((d) => d !== `${ref.name}@${ref.digest}`);
          const remaining = rec.refs.filter((r) => !untagOnly.includes(r));
          if (remaining.length === 0 && users.length && !opts.force) {
            throw conflict(
              `conflict: unable to remove repository reference "${arg}" (must force) - container ${shortId(users[0].id)} is using its referenced image ${shortId(rec.id)}`,
            );
          }
          deleteImage = remaining.length === 0 && users.length === 0;
        }
        for (const r of untagOnly) events.push({ untagged: familiar(r) });
        for (const d of rec.repoDigests.splice(0)) if (deleteImage) events.push({ untagged: familiar(d) });
        rec.refs = rec.refs.filter((r) => !untagOnly.includes(r));
        let kept = records;
        if (deleteImage) kept = deleteWithParents(records, rec, opts.noPrune ?? false, usersOf, events);
        writeIndex(store.engine.paths, indexFromRecords(kept));
      } catch (err) {
        events.length = before;
        errors.push(err instanceof MinidockError ? err : new MinidockError(String((err as Error).message ?? err), { cause: err }));
      }
    }
    const gc = await collectGarbage(store, opts.inUseChains);
    for (const c of gc.snapshots) events.push({ deleted: c });
  });
  return { events, errors };
}

/** Delete `rec` and its untagged, unused parents that nothing else builds on (docker's legacy behaviour). */
function deleteWithParents(records: ImageRecord[], rec: ImageRecord, noPrune: boolean, usersOf: UsersOf, events: RemoveEvent[]): ImageRecord[] {
  let kept = records.filter((r) => r !== rec);
  events.push({ deleted: rec.id });
  let parentId = rec.parent;
  while (!noPrune && parentId) {
    const parent = kept.find((r) => r.id === parentId);
    if (!parent || parent.refs.length || usersOf(parent.id).length) break;
    if (kept.some((r) => r.parent === parent.id)) break;
    kept = kept.filter((r) => r !== parent);
    events.push({ deleted: parent.id });
    parentId = parent.parent;
  }
  return kept;
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
      for (const ref of victim.refs) deleted.push({ untagged: familiar(ref) });
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
