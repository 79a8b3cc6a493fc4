// --change for `import`/`commit`: one Dockerfile instruction applied to an image config
// (moby builder/dockerfile BuildFromConfig). Only CMD ENTRYPOINT ENV EXPOSE LABEL ONBUILD
// STOPSIGNAL USER VOLUME WORKDIR are allowed there. This is a small self-contained reader;
// the full Dockerfile parser and word expansion live in src/image/dockerfile.
import { posix } from 'node:path';
import { badValue } from './flag-error.js';
import { parseExpose } from './ports.js';
import { parseSignal } from './signal.js';

/** The image config fields a change may edit (OCI/Docker image config casing). */
export interface ChangeableConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  OnBuild?: string[];
  Shell?: string[];
}

export type ConfigChange =
  | { kind: 'cmd' | 'entrypoint'; value: string[] }
  | { kind: 'env' | 'label'; pairs: [string, string][] }
  | { kind: 'expose'; ports: string[] }
  | { kind: 'user' | 'workdir' | 'stopsignal'; value: string }
  | { kind: 'volume'; paths: string[] }
  | { kind: 'onbuild'; trigger: string };

const ALLOWED = ['cmd', 'entrypoint', 'env', 'expose', 'label', 'onbuild', 'stopsignal', 'user', 'volume', 'workdir'];

/** Splits on whitespace, keeping quoted sections (and their quotes) inside one word. */
function splitWords(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quote = '';
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote === '' && /\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === '\\' && quote !== "'" && i + 1 < s.length) {
      cur += c + s[++i];
      continue;
    }
    if (quote === '' && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = '';
    cur += c;
  }
  if (inWord) words.push(cur);
  return words;
}

/** Removes quotes and escapes and expands $VAR / ${VAR} / ${VAR:-x} / ${VAR:+x} from `env`. */
function processWord(w: string, env: Map<string, string>): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < w.length; i++) {
    const c = w[i];
    if (quote !== "'" && c === '\\' && i + 1 < w.length) {
      out += w[++i];
    } else if (quote === '' && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = '';
    else if (quote !== "'" && c === '$') {
      const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/.exec(w.slice(i));
      if (!m) {
        out += c;
        continue;
      }
      const name = m[1] ?? m[4];
      const val = env.get(name);
      if (m[2] === '-') out += val ? val : m[3];
      else if (m[2] === '+') out += val ? m[3] : '';
      else out += val ?? '';
      i += m[0].length - 1;
    } else out += c;
  }
  return out;
}

function envMap(config: ChangeableConfig): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of config.Env ?? []) {
    const eq = e.indexOf('=');
    m.set(eq < 0 ? e : e.slice(0, eq), eq < 0 ? '' : e.slice(eq + 1));
  }
  return m;
}

/** parseMaybeJSON: a JSON array of strings is exec form; anything else is the raw text. */
function maybeJSON(rest: string): string[] | undefined {
  if (!rest.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(rest);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
  } catch {
    return undefined;
  }
}

/** KEY=VALUE pairs (or the legacy `KEY value` form) of ENV and LABEL. */
function nameValues(cmd: string, rest: string, env: Map<string, string>): [string, string][] {
  const words = splitWords(rest);
  if (words.length === 0) throw badValue(`${cmd.toUpperCase()} requires at least one argument`);
  if (!words[0].includes('=')) {
    // Legacy `ENV key value with spaces`: everything after the key is the value.
    const value = rest.trim().slice(words[0].length).trim();
    if (value === '' && cmd === 'env') throw badValue('ENV must have two arguments');
    return [[processWord(words[0], env), processWord(value, env)]];
  }
  return words.map((w) => {
    if (!w.includes('=')) throw badValue(`Syntax error - can't find = in ${JSON.stringify(w)}. Must be of the form: name=value`);
    const eq = w.indexOf('=');
    return [processWord(w.slice(0, eq), env), processWord(w.slice(eq + 1), env)];
  });
}

/**
 * Parses one change line against the config it will edit (ENV/LABEL/… expand variables from
 * the config's Env, as the builder does). Shell-form CMD/ENTRYPOINT become ["/bin/sh","-c",…].
 */
export function parseChange(line: string, config: ChangeableConfig = {}): ConfigChange {
  const trimmed = line.trim();
  const m = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!m) throw badValue('file with no instructions');
  const cmd = m[1].toLowerCase();
  const rest = m[2];
  if (!ALLOWED.includes(cmd)) throw badValue(`${cmd} is not a valid change command`);
  const env = envMap(config);
  const words = () => splitWords(rest).map((w) => processWord(w, env));
  switch (cmd) {
    case 'cmd':
    case 'entrypoint': {
      const json = maybeJSON(rest);
      return { kind: cmd, value: json ?? [...(config.Shell ?? ['/bin/sh', '-c']), rest] };
    }
    case 'env':
    case 'label':
      return { kind: cmd, pairs: nameValues(cmd, rest, env) };
    case 'expose': {
      const w = words();
      if (w.length === 0) throw badValue('EXPOSE requires at least one argument');
      return { kind: 'expose', ports: w.flatMap((p) => parseExpose(p)) };
    }
    case 'user':
    case 'workdir':
    case 'stopsignal': {
      const w = words();
      if (w.length !== 1) throw badValue(`${cmd.toUpperCase()} requires exactly one argument`);
      if (cmd === 'stopsignal') parseSignal(w[0]);
      return { kind: cmd, value: w[0] };
    }
    case 'volume': {
      const paths = maybeJSON(rest) ?? words();
      if (paths.length === 0) throw badValue('VOLUME requires at least one argument');
      if (paths.some((p) => p.trim() === '')) throw badValue('VOLUME specified can not be an empty string');
      return { kind: 'volume', paths };
    }
    default: {
      const sub = /^(\S+)/.exec(rest.trim())?.[1]?.toUpperCase();
      if (sub === undefined) throw badValue('ONBUILD requires at least one argument');
      if (sub === 'ONBUILD') throw badValue('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
      if (sub === 'FROM' || sub === 'MAINTAINER') throw badValue(`${sub} isn't allowed as an ONBUILD trigger`);
      return { kind: 'onbuild', trigger: sub + rest.trim().slice(sub.length) };
    }
  }
}

/**
 * Applies changes in order to a copy of `config`. As in a Dockerfile, ENTRYPOINT clears CMD
 * unless a CMD came earlier in the same list.
 */
export function applyChanges(config: ChangeableConfig, lines: readonly string[]): ChangeableConfig {
  const c: ChangeableConfig = structuredClone(config);
  let cmdSet = false;
  for (const line of lines) {
    const ch = parseChange(line, c);
    switch (ch.kind) {
      case 'cmd':
        c.Cmd = ch.value;
        cmdSet = true;
        break;
      case 'entrypoint':
        c.Entrypoint = ch.value;
        if (!cmdSet) c.Cmd = null;
        break;
      case 'env':
        for (const [k, v] of ch.pairs) {
          const env = c.Env ?? [];
          const i = env.findIndex((e) => e === k || e.startsWith(`${k}=`));
          if (i >= 0) env[i] = `${k}=${v}`;
          else env.push(`${k}=${v}`);
          c.Env = env;
        }
        break;
      case 'label':
        c.Labels = { ...c.Labels, ...Object.fromEntries(ch.pairs) };
        break;
      case 'expose':
        c.ExposedPorts = { ...c.ExposedPorts, ...Object.fromEntries(ch.ports.map((p) => [p, {}])) };
        break;
      case 'user':
        c.User = ch.value;
        break;
      case 'workdir':
        c.WorkingDir = posix.isAbsolute(ch.value) ? posix.normalize(ch.value) : posix.join('/', c.WorkingDir ?? '', ch.value);
        break;
      case 'stopsignal':
        c.StopSignal = ch.value;
        break;
      case 'volume':
        c.Volumes = { ...c.Volumes, ...Object.fromEntries(ch.paths.map((p) => [p, {}])) };
        break;
      case 'onbuild':
        c.OnBuild = [...(c.OnBuild ?? []), ch.trigger];
        break;
    }
  }
  return c;
}
