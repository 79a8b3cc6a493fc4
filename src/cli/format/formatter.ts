// Lists as `docker ps`, `docker images`, `docker volume ls` print them (cli/command/formatter/
// formatter.go): a `--format` value is a Go template, `table …` adds a header row and aligns
// columns, `json` prints one JSON object per row. A command passes its rows (plain objects or
// objects with getters, one property per column: `{ ID, Image, Status, … }`) and its header map.
import { marshalJSON, MARSHAL_JSON } from './go/json.js';
import { GO_TYPE_NAME, structFields } from './go/value.js';
import { TabWriter } from './table.js';
import { FormatTemplate, type ExecuteOptions } from './template.js';

export const TABLE_FORMAT_KEY = 'table';
export const RAW_FORMAT_KEY = 'raw';
export const JSON_FORMAT_KEY = 'json';
export const DEFAULT_QUIET_FORMAT = '{{.ID}}';
export const JSON_FORMAT = '{{json .}}';

/** docker's Format.IsTable: any value that *starts* with "table" (so "tablefoo" is one too). */
export function isTableFormat(format: string): boolean {
  return format.startsWith(TABLE_FORMAT_KEY);
}

export interface FormatDefaults {
  /** The command's default table, e.g. headers.DEFAULT_CONTAINER_TABLE. */
  table: string;
  /** `-q`: print only IDs. */
  quiet?: boolean;
  /** What `-q` prints; `{{.ID}}` by default. */
  quietFormat?: string;
  /** The command's `raw` layout, if it has one. */
  raw?: string;
  /** docker ps lets -q win over a custom --format; docker images does not. Default true. */
  quietOverridesCustom?: boolean;
}

/**
 * The NewContainerFormat/NewImageFormat switch: turns the user's --format value (or none) into
 * the template to run. An empty value and "table" mean the command's default table.
 */
export function selectFormat(source: string | undefined, d: FormatDefaults): string {
  const quiet = d.quietFormat ?? DEFAULT_QUIET_FORMAT;
  if (source === undefined || source === '' || source === TABLE_FORMAT_KEY) return d.quiet ? quiet : d.table;
  if (source === RAW_FORMAT_KEY && d.raw !== undefined) return d.quiet ? quiet : d.raw;
  if (d.quiet && (d.quietOverridesCustom ?? true)) return quiet;
  return source;
}

/**
 * Context.preFormat: drop the "table" prefix, map "json" to `{{json .}}`, trim spaces, and turn
 * the two-character escapes `\t` and `\n` into real tabs and newlines (before parsing, so they
 * apply inside template strings too). `docker inspect -f` does not do this.
 */
export function preformat(format: string): string {
  let f = format;
  if (isTableFormat(f)) f = f.slice(TABLE_FORMAT_KEY.length);
  else if (f === JSON_FORMAT_KEY) f = JSON_FORMAT;
  f = f.replace(/^ +| +$/g, '');
  return f.replace(/\\t|\\n/g, (m) => (m === '\\t' ? '\t' : '\n'));
}

/** Per-row object the template sees: a Go struct whose JSON form has sorted keys (formatter.MarshalJSON). */
class RowContext {
  [MARSHAL_JSON](): string {
    const fields = structFields(this).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // json.Marshal of the field map: Go's default HTML escaping applies here.
    return marshalJSON(new Map(fields), { escapeHTML: true });
  }
}

/** Wraps a row so templates treat it as docker's per-type context (a struct, not a map). */
export function rowContext(row: object, typeName = '*formatter.Context'): object {
  const ctx = Object.create(RowContext.prototype) as Record<PropertyKey, unknown>;
  const chain: object[] = [];
  for (let o: object | null = row; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) chain.push(o);
  // Nearest definitions win: copy from the outermost prototype inwards.
  for (const o of chain.reverse()) {
    for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(o))) {
      if (key === 'constructor') continue;
      // Docker's context fields are all methods: `{{.ID 1}}` is "wrong number of args", not a map
      // lookup. Plain values become getters so they behave the same.
      if ('value' in d && typeof d.value !== 'function') {
        const value: unknown = d.value;
        Object.defineProperty(ctx, key, { get: () => value, enumerable: true, configurable: true });
      } else Object.defineProperty(ctx, key, { ...d, configurable: true });
    }
  }
  Object.defineProperty(ctx, GO_TYPE_NAME, { value: typeName });
  return ctx;
}

export interface ListOptions {
  /** Column header per field name: { ID: 'CONTAINER ID', … } (see headers.ts). */
  headers: Record<string, string>;
  /** Go type named in "can't evaluate field X in type T" messages. */
  typeName?: string;
}

/**
 * Context.Write: renders every row with the (already selected) format and returns the text to
 * print, a newline after each row. Table formats get the header row and tabwriter alignment.
 * A template error in any row fails the whole list, and nothing is printed (as with docker).
 */
export function renderList(format: string, rows: readonly object[], opts: ListOptions): string {
  const tmpl = FormatTemplate.parse(preformat(format));
  let body = '';
  for (const row of rows) body += tmpl.execute(rowContext(row, opts.typeName)) + '\n';
  if (!isTableFormat(format)) return body;
  // The header row runs the same template over the header names; docker ignores its errors
  // and keeps whatever was written before one.
  const header = tmpl.tryExecute(new Map(Object.entries(opts.headers)), { header: true }).output;
  const w = new TabWriter();
  w.write(header);
  w.write('\n');
  w.write(body);
  return w.flush();
}

/**
 * One object through a template, as `docker inspect -f` and `docker version -f` print it: no
 * "table", no `\t` escapes. `missingKey: 'error'` gives inspect's "map has no entry for key".
 */
export function renderObject(format: string, data: unknown, opts: ExecuteOptions = {}): string {
  return FormatTemplate.parse(format).execute(data, opts);
}
