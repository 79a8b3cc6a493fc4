// Which image a user means: docker's lookup order (daemon/images GetImage). A full ID first,
// then a name (with default tag) or a digest reference, then a unique prefix of the image ID.
import { MinidockError, notFound } from '../../errors.js';
import { parseReference, type Reference } from '../reference.js';
import type { ImageRecord } from './catalog.js';

const FULL_ID = /^(?:sha256:)?([a-f0-9]{64})$/;
const ID_PREFIX = /^(?:sha256:)?([a-f0-9]{1,63})$/;

/**
 * docker's ErrImageDoesNotExist text: the name as the user typed it, with `:latest` added to
 * a bare name (`No such image: nope:latest`); IDs and digests stay as they are.
 */
export function noSuchImage(s: string): MinidockError {
  let shown = s;
  if (!FULL_ID.test(s)) {
    try {
      shown = parseReference(s).withDefaultTag().familiarString();
    } catch {
      shown = s;
    }
  }
  return notFound(`No such image: ${shown}`, 'run `minidock images` to list local images');
}

function byReference(records: readonly ImageRecord[], ref: Reference): ImageRecord | undefined {
  if (ref.digest) {
    const canonical = `${ref.name}@${ref.digest}`;
    // A pulled image remembers the digest it was pulled by; any other image answers to
    // `repo@<its manifest digest>` only under a repository it is tagged in.
    return (
      records.find((r) => r.repoDigests.includes(canonical)) ??
      records.find((r) => r.manifestDigest === ref.digest && r.refs.some((x) => sameRepository(x, ref)))
    );
  }
  const wanted = ref.toString();
  return records.find((r) => r.refs.includes(wanted));
}

function sameRepository(full: string, ref: Reference): boolean {
  try {
    return parseReference(full).name === ref.name;
  } catch {
    return false;
  }
}

function byIdPrefix(records: readonly ImageRecord[], s: string): ImageRecord | undefined {
  const prefix = ID_PREFIX.exec(s);
  if (!prefix) return undefined;
  const hits = records.filter((r) => r.id.startsWith(`sha256:${prefix[1]}`));
  const ids = new Set(hits.map((r) => r.id));
  if (ids.size > 1) {
    // docker answers "No such image" here; naming the ambiguity is more useful.
    throw new MinidockError(`image ID prefix ${s} is ambiguous: it matches ${ids.size} images`, {
      kind: 'conflict',
      hint: 'give more characters of the ID',
    });
  }
  return hits[0];
}

/**
 * The image `s` names, or undefined. A string that is neither a valid reference nor an ID
 * prefix (`Busybox`) throws the reference error, as docker's daemon does.
 */
export function lookupImage(records: readonly ImageRecord[], s: string): ImageRecord | undefined {
  const full = FULL_ID.exec(s);
  if (full) return records.find((r) => r.id === `sha256:${full[1]}`);
  let ref: Reference | undefined;
  try {
    ref = parseReference(s).withDefaultTag();
  } catch (err) {
    if (!ID_PREFIX.test(s)) throw err;
  }
  return (ref && byReference(records, ref)) ?? byIdPrefix(records, s);
}

/** The image `s` names; throws docker's "No such image" (or the reference error). */
export function resolveImage(records: readonly ImageRecord[], s: string): ImageRecord {
  const rec = lookupImage(records, s);
  if (!rec) throw noSuchImage(s);
  return rec;
}

/** Like lookupImage, but an invalid reference names nothing instead of throwing (`inspect`, filters). */
export function matchImage(records: readonly ImageRecord[], s: string): ImageRecord | undefined {
  try {
    return lookupImage(records, s);
  } catch (err) {
    if (err instanceof MinidockError && err.kind === 'invalid') return undefined;
    throw err;
  }
}
