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
  // The positional REPOSITORY[:TAG] is one more `reference` filter; several match if any does.
  const patterns = [...values(f, 'reference'), ...(opts.reference ? [opts.reference] : [])];
  const hasChildren = (r: ImageRecord) => records.some((c) => c.parent === r.id);
  const rows: ImageRow[] = [];
  for (const rec of records) {
    // dangling=true looks at images nothing builds on only (docker's imageStore.Heads()).
    if (dangling === true && hasChildren(rec)) continue;
    if (before.some((b) => created(rec) >= created(b))) continue;
    if (since.some((s) => created(rec) <= created(s))) continue;
    if (labelled) {
      const config = await store.config(rec);
      if (!matchLabels(f, 'label', config.config?.Labels ?? undefined)) continue;
    }
    const digest = rec.repoDigests[0]?.split('@')[1] ?? '<none>';
    if (rec.refs.length === 0 && rec.repoDigests.length === 0) {
      // Untagged: a parent of another image (or a build step's image) is an intermediate
      // layer, only listed with -a; any other is dangling.
      if (!opts.all && (hasChildren(rec) || rec.intermediate)) continue;
      if (dangling === false || patterns.length) continue;
      rows.push({ rec, repository: '<none>', tag: '<none>', digest });
      continue;
    }
    if (dangling === true && rec.refs.length > 0) continue;
    // docker lists an image's references sorted by their full string.
    const refs = [...rec.refs].sort().map((r) => parseReference(r));
    const kept = patterns.length ? refs.filter((r) => patterns.some((p) => familiarMatch(p, r))) : refs;
    if (patterns.length && kept.length === 0) continue;
    if (kept.length === 0) rows.push({ rec, repository: '<none>', tag: '<none>', digest });
    for (const r of kept) rows.push({ rec, repository: r.familiarName, tag: r.tag ?? '<none>', digest });
  }
  return rows;
}
