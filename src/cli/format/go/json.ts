// Go's encoding/json output (compact), which `{{json …}}` and `--format json` print. It differs
// from JSON.stringify in string escapes (\u003c for `<` when HTML escaping is on, \u2028/\u2029
// always), float syntax (1e-7 not 1e-07), and map keys (sorted).
import { formatFloat } from './float.js';
import { kindOf, mapEntries, numberOf, structFields } from './value.js';

/** A value that marshals itself (Go's json.Marshaler); the returned text is used verbatim. */
export const MARSHAL_JSON = Symbol.for('minidock.marshalJSON');

export interface MarshalOptions {
  /** Go's default is true; docker's `json` template function turns it off (SetEscapeHTML(false)). */
  escapeHTML: boolean;
}

export function marshalJSON(v: unknown, opts: MarshalOptions): string {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return 'null';
    case 'bool':
      return v ? 'true' : 'false';
    case 'int':
      return String(v);
    case 'float':
      return marshalFloat(numberOf(v));
    case 'string':
      return quoteJSON(v as string, opts.escapeHTML);
    case 'func':
      throw new Error('json: unsupported type: func()');
    case 'slice':
      return '[' + (v as unknown[]).map((e) => marshalJSON(e, opts)).join(',') + ']';
    case 'map': {
      // Go sorts map keys; a plain object stands for a decoded JSON document and keeps its order.
      const entries = v instanceof Map ? mapEntries(v) : Object.entries(v as object);
      return marshalObject(entries, opts);
    }
    case 'struct': {
      const self = v as Record<PropertyKey, unknown>;
      const custom = self[MARSHAL_JSON];
      if (typeof custom === 'function') return (custom as () => string).call(v);
      if (typeof self.toJSON === 'function') return marshalJSON((self.toJSON as () => unknown)(), opts);
      return marshalObject(structFields(v as object), opts);
    }
  }
}

function marshalObject(entries: [unknown, unknown][], opts: MarshalOptions): string {
  const parts: string[] = [];
  for (const [k, e] of entries) {
    if (typeof e === 'function') continue;
    parts.push(`${quoteJSON(String(k), opts.escapeHTML)}:${marshalJSON(e, opts)}`);
  }
  return '{' + parts.join(',') + '}';
}

/** encoding/json's float64 syntax: %f between 1e-6 and 1e21, %e outside, `e-9` not `e-09`. */
export function marshalFloat(f: number): string {
  if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${formatFloat(f, 'g', -1)}`);
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return formatFloat(f, 'e', -1).replace(/e([+-])0(\d)$/, 'e$1$2');
  }
  return formatFloat(f, 'f', -1);
}

export function quoteJSON(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
    }
    if (cp < 0x20 || (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) || cp === 0x2028 || cp === 0x2029) {
      out += '\\u' + cp.toString(16).padStart(4, '0');
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      out += '\\ufffd'; // lone surrogate: Go replaces invalid UTF-8 with U+FFFD
    } else out += ch;
  }
  return out + '"';
}
