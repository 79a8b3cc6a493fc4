// -e/--env, --env-file, -l/--label and --label-file values, by docker/cli's rules
// (opts/env.go ValidateEnv, opts/opts.go ValidateLabel, pkg/kvfile): no quote processing, a
// bare `-e NAME` takes the caller's value, and the image env is merged as the daemon does.
import { badValue } from './flag-error.js';

export type EnvLookup = (name: string) => string | undefined;

/**
 * ValidateEnv: `K=V` as is; a bare `K` takes `K=<value>` from `lookup` when set there, else stays
 * `K` (which removes K from the image's environment, see mergeEnv).
 */
export function parseEnvFlag(value: string, lookup: EnvLookup): string {
  const eq = value.indexOf('=');
  const key = eq < 0 ? value : value.slice(0, eq);
  if (key === '') throw badValue(`invalid environment variable: ${value}`);
  if (eq >= 0) return value;
  const v = lookup(key);
  return v === undefined ? value : `${key}=${v}`;
}

/**
 * kvfile.Parse: an env file or label file. Leading whitespace is dropped, `#` lines and blank
 * lines skipped, the value kept verbatim (quotes, trailing spaces and all). A key without `=`
 * takes its value from `lookup` and is dropped when not found there (label files pass none).
 * `source` names the file in errors, as docker does. Pass the file's bytes to get docker's
 * invalid-UTF-8 check; a string is taken as already decoded.
 */
export function parseKeyValueFile(content: string | Uint8Array, source: string, lookup?: EnvLookup): string[] {
  const fail = (msg: string) => badValue(`invalid env file (${source}): ${msg}`);
  const out: string[] = [];
  if (typeof content !== 'string') content = decodeLines(content, fail);
  if (content.startsWith('\ufeff')) content = content.slice(1);
  const lines = content.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '').replace(/^\s+/u, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (key === '') throw fail(`no variable name on line '${line}'`);
    if (/[ \t]/.test(key)) throw fail(`variable '${key}' contains whitespaces`);
    if (eq >= 0) {
      out.push(line);
      continue;
    }
    const v = lookup?.(key);
    if (v !== undefined) out.push(`${key}=${v}`);
  }
  return out;
}

/** Decodes UTF-8, failing like bufio.Scanner + utf8.Valid on the first bad line. */
function decodeLines(bytes: Uint8Array, fail: (msg: string) => Error): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  let line = 1;
  let out = '';
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const chunk = bytes.subarray(start, end);
    try {
      out += decoder.decode(chunk) + (end < bytes.length ? '\n' : '');
    } catch {
      throw fail(`invalid utf8 bytes at line ${line}: [${[...chunk].join(' ')}]`);
    }
    start = end + 1;
    line++;
  }
  return out;
}

/** ValidateLabel: `key[=value]`; the key must be non-empty and free of spaces. */
export function parseLabelFlag(value: string): string {
  const eq = value.indexOf('=');
  const key = (eq < 0 ? value : value.slice(0, eq)).replace(/^\s+/u, '');
  if (key === '') throw badValue(`invalid label '${value}': empty name`);
  if (/[ \t]/.test(key)) throw badValue(`label '${key}' contains whitespaces`);
  return value;
}

/** ConvertKVStringsToMap: `a=b` → { a: 'b' }, `a` → { a: '' }; later entries win. */
export function labelsToMap(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0) out[v] = '';
    else out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/**
 * ReplaceOrAppendEnvValues (daemon): override image env entries by name, append new ones, and
 * remove the ones named without `=` (`-e FOO` with FOO unset on the client).
 */
export function mergeEnv(defaults: readonly string[], overrides: readonly string[]): string[] {
  const result = [...defaults];
  const index = new Map<string, number>();
  result.forEach((e, i) => index.set(e.split('=', 1)[0], i));
  const removed = new Set<number>();
  for (const o of overrides) {
    const eq = o.indexOf('=');
    if (eq < 0) {
      const i = index.get(o);
      if (i !== undefined) removed.add(i);
      continue;
    }
    const key = o.slice(0, eq);
    const i = index.get(key);
    if (i !== undefined) {
      result[i] = o;
      removed.delete(i);
    } else {
      index.set(key, result.length);
      result.push(o);
    }
  }
  return result.filter((_, i) => !removed.has(i));
}
