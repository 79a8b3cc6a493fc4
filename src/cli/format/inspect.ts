// `inspect` output: docker prints a JSON array indented with four spaces (json.MarshalIndent,
// with Go's HTML escaping of <, > and &), or with -f one template result per object.
import { renderObject } from './formatter.js';

export function indentJSON(value: unknown): string {
  return JSON.stringify(value, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function renderInspect(objects: unknown[], format: string | undefined): string {
  if (format === undefined || format === '') return `${indentJSON(objects)}\n`;
  // `-f json` is docker's shorthand for {{json .}} in inspect too.
  const f = format === 'json' ? '{{json .}}' : format;
  return objects.map((o) => `${renderObject(f, o)}\n`).join('');
}
