// Build cache keys. A step's image is reused when the current image has a child (an image whose
// parent it is, docker's legacy-builder model) committed with the same key. The key is a sha256
// over canonical JSON of everything that decides the step's result besides the parent image:
//  - the instruction after expansion (never its raw text, its line, or its keyword's casing);
//  - for RUN: the argv, heredoc files, and the whole environment in scope (ARG values
//    included, since the shell can read any of them) but not the proxy build args, which
//    docker keeps out of the cache on purpose;
//  - for COPY/ADD: a digest of every file read (path, type, mode, size, link target, content;
//    not mtimes, as BuildKit's content hash ignores them; not the owner of context files,
//    which the copy resets to 0:0), or the source image's ID for --from;
//  - the created time the step writes (SOURCE_DATE_EPOCH or the default) and the platform.
// The parent image's ID covers everything else: config (USER, WORKDIR, SHELL, ENV), layers.
import { createHash } from 'node:crypto';

/** Bump when the meaning of a key's inputs changes, so old cache entries stop matching. */
export const CACHE_KEY_VERSION = 1;

export interface StepKeyInput {
  /** Parent image ID, undefined when the stage starts from scratch. */
  parent: string | undefined;
  /** Seconds: the created time the step's image records. */
  epoch: number;
  platform: string;
  /** What the step does, as plain data (see the module comment). */
  step: unknown;
}

export function stepCacheKey(input: StepKeyInput): string {
  const text = canonicalJson({ v: CACHE_KEY_VERSION, parent: input.parent ?? 'scratch', epoch: input.epoch, platform: input.platform, step: input.step });
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** JSON with object keys sorted at every level and undefined members left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value instanceof Map) return canonicalJson(Object.fromEntries(value));
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** Fields of an instruction that only say where and how it was written. */
const LOCATION_FIELDS = new Set(['line', 'endLine', 'keyword', 'source', 'flagsUsed', 'legacy']);

/** An expanded instruction as key data: its meaning without its location or spelling. */
export function instructionKeyData(inst: object): unknown {
  return strip(inst);
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!LOCATION_FIELDS.has(k)) out[k] = strip(x);
  return out;
}
