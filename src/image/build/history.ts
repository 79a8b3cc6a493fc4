// The `created_by` text of each step's history entry, as BuildKit writes it (dockerfile2llb
// convert.go commitToHistory and friends), so `minidock history` reads like `docker history`
// of a BuildKit image: `RUN |1 A=1 /bin/sh -c make # buildkit`, `COPY app /app # buildkit`,
// `ENV A=b`, `CMD ["sh"]` (Go's %q of a []string), `VOLUME [/data]` (Go's %v), …
// Layer-producing steps that BuildKit runs as LLB ops carry the " # buildkit" suffix.
import { goQuoteList } from '../dockerfile/go-text.js';
import type { HealthConfig, KeyValue } from '../dockerfile/index.js';

export const HISTORY_COMMENT = 'buildkit.dockerfile.v0';

/** An ARG the stage declared, with the value in force (undefined when it has none). */
export interface DeclaredArg {
  name: string;
  value?: string;
}

export function envHistory(pairs: readonly KeyValue[]): string {
  return `ENV${pairs.map((p) => ` ${p.key}=${p.value}`).join('')}`;
}

export function labelHistory(pairs: readonly KeyValue[]): string {
  return `LABEL${pairs.map((p) => ` ${p.key}=${p.value}`).join('')}`;
}

export function argHistory(args: readonly DeclaredArg[]): string {
  return `ARG ${args.map((a) => (a.value === undefined ? a.name : `${a.name}=${a.value}`)).join(' ')}`;
}

/**
 * runCommandString: the stage's ARGs (each once, in first-declaration order, the value the
 * environment now has, else the declared one) as `|N K=V …`, then the argv, joined by spaces.
 */
export function runHistory(argv: readonly string[], args: readonly DeclaredArg[], env: ReadonlyMap<string, string>): string {
  const order: string[] = [];
  const values = new Map<string, string>();
  for (const a of args) {
    if (!values.has(a.name)) order.push(a.name);
    values.set(a.name, env.get(a.name) ?? a.value ?? '');
  }
  const prefix = order.length ? [`|${order.length}`, ...order.map((k) => `${k}=${values.get(k)}`)] : [];
  return `RUN ${[...prefix, ...argv].join(' ')} # buildkit`;
}

export interface CopyHistoryInput {
  command: 'COPY' | 'ADD';
  chown?: string;
  chmod?: string;
  parents?: boolean;
  paths: readonly string[];
  heredocs: readonly string[];
  dest: string;
}

export function copyHistory(c: CopyHistoryInput): string {
  let s = c.command;
  if (c.parents) s += ' --parents';
  if (c.chown) s += ` --chown=${c.chown}`;
  if (c.chmod) s += ` --chmod=${c.chmod}`;
  for (const p of c.paths) s += ` ${p}`;
  for (const h of c.heredocs) s += ` <<${h}`;
  return `${s} ${c.dest} # buildkit`;
}

export const cmdHistory = (argv: readonly string[]) => `CMD ${goQuoteList(argv)}`;
export const entrypointHistory = (argv: readonly string[]) => `ENTRYPOINT ${goQuoteList(argv)}`;
/** Go's %v of a []string: `[a b]`. */
const goList = (list: readonly string[]) => `[${list.join(' ')}]`;
export const volumeHistory = (paths: readonly string[]) => `VOLUME ${goList(paths)}`;
export const shellHistory = (shell: readonly string[]) => `SHELL ${goList(shell)}`;
export const exposeHistory = (ports: readonly string[]) => `EXPOSE ${goList(ports)}`;

/** `HEALTHCHECK %+v` of docker's HealthcheckConfig (durations as Go prints them). */
export function healthcheckHistory(h: HealthConfig): string {
  return (
    `HEALTHCHECK {Test:${goList(h.test)} Interval:${goDuration(h.interval)} Timeout:${goDuration(h.timeout)} ` +
    `StartPeriod:${goDuration(h.startPeriod)} StartInterval:${goDuration(h.startInterval)} Retries:${h.retries}}`
  );
}

/** time.Duration.String for nanoseconds: "1h2m3.5s", "150ms", "0s". */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let n = Math.abs(ns);
  let out: string;
  if (n < 1e9) {
    // Sub-second values use the largest unit that keeps an integer part.
    const [unit, scale] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    out = `${trimFraction(n / scale)}${unit}`;
  } else {
    const h = Math.floor(n / 3.6e12);
    n -= h * 3.6e12;
    const m = Math.floor(n / 6e10);
    n -= m * 6e10;
    const s = `${trimFraction(n / 1e9)}s`;
    out = h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
  }
  return neg ? `-${out}` : out;
}

function trimFraction(v: number): string {
  return v.toFixed(9).replace(/\.?0+$/, '');
}
