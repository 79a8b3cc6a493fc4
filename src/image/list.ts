// The rows of `images`: one per tag (an untagged image is one `<none>` row), newest first,
// with docker's filters (dangling, reference, label, before, since) and its rule that
// intermediate build images only show with `-a`.
import { matchLabels, values, familiarMatch, getBool, type Filters } from '../cli/parse/filter.js';
import { parseReference } from './reference.js';
import type { ImageRecord, ImageStore } from './store/store.js';

export interface ImageRow {
  rec: ImageRecord;
  repository: string;
  tag: string;
  digest: string;
}

export async function listImages(store: ImageStore, opts: { all?: boolean; filters: Filters; reference?: string }): Promise<ImageRow[]> {
  const records = store.list().sort((a, b) => (b.created ?? '').localeCompare(a.created ?? ''));
  const f = opts.filters;
  const dangling = f.has('dangling') ? getBool(f, 'dangling', false) : undefined;
  const created = (r: ImageRecord) => Date.parse(r.created ?? '') || 0;
  const before = values(f, 'before').map((b) => store.resolve(b));
  const since = values(f, 'since').map((b) => store.resolve(b));
  const labelled = f.has('label');
  const rows: ImageRow[] = [];
  for (const rec of records) {
    const isDangling = rec.refs.length === 0;
    if (rec.intermediate && isDangling && !opts.all && dangling === undefined) continue;
    // A dangling image that is the parent of another is an intermediate layer in docker's eyes.
    if (isDangling && !opts.all && records.some((r) => r.parent === rec.id) && dangling === undefined) continue;
    if (dangling !== undefined && dangling !== isDangling) continue;
    if (before.some((b) => created(rec) >= created(b))) continue;
    if (since.some((s) => created(rec) <= created(s))) continue;
    if (labelled) {
      const config = await store.config(rec);
      if (!matchLabels(f, 'label', config.config?.Labels ?? undefined)) continue;
    }
    const refs = rec.refs.map((r) => parseReference(r));
    const patterns = [...values(f, 'reference'), ...(opts.reference ? [opts.reference] : [])];
    const kept = patterns.length ? refs.filter((r) => patterns.every((p) => familiarMatch(p, r) || familiarMatch(p.includes(':') ? p : `${p}:*`, r))) : refs;
    if (patterns.length && kept.length === 0) continue;
    const digest = rec.repoDigests[0]?.split('@')[1] ?? '<none>';
    if (kept.length === 0) rows.push({ rec, repository: '<none>', tag: '<none>', digest });
    for (const r of kept) rows.push({ rec, repository: r.familiarName, tag: r.tag ?? '<none>', digest });
  }
  return rows;
}

