// Which image a user means: docker's lookup order. A name (with default tag) first, then a
// digest reference, then the image ID or a unique prefix of it.
import { MinidockError } from '../../errors.js';
import { parseReference } from '../reference.js';
import type { ImageRecord } from './catalog.js';

const FULL_ID = /^(?:sha256:)?([a-f0-9]{64})$/;
const ID_PREFIX = /^(?:sha256:)?([a-f0-9]{1,63})$/;

export function matchImage(records: readonly ImageRecord[], s: string): ImageRecord | undefined {
  const full = FULL_ID.exec(s);
  if (full) return records.find((r) => r.id === `sha256:${full[1]}`);

  let ref;
  try {
    ref = parseReference(s).withDefaultTag();
  } catch {
    ref = undefined;
  }
  if (ref) {
    if (ref.digest) {
      const byDigest = records.find(
        (r) => r.repoDigests.includes(`${ref.name}@${ref.digest}`) || (r.manifestDigest === ref.digest && (!ref.tag || r.refs.includes(ref.toString()))),
      );
      if (byDigest) return byDigest;
    } else {
      const wanted = ref.toString();
      const byTag = records.find((r) => r.refs.includes(wanted));
      if (byTag) return byTag;
    }
  }

  const prefix = ID_PREFIX.exec(s);
  if (prefix) {
    const hits = records.filter((r) => r.id.startsWith(`sha256:${prefix[1]}`));
    const ids = new Set(hits.map((r) => r.id));
    if (ids.size > 1) {
      throw new MinidockError(`image ID prefix ${s} is ambiguous: it matches ${ids.size} images`, {
        kind: 'conflict',
        hint: 'give more characters of the ID',
      });
    }
    return hits[0];
  }
  return undefined;
}
