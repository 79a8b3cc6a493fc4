// Container STATUS/STATE strings and the ID, COMMAND and NAMES columns as `docker ps` shows them.
// Status wording is the daemon's (moby container/state.go State.String, health.go), the column
// rendering is the CLI's (cli/command/formatter/container.go, displayutils.go, stringid).
import { quote } from '../parse/strconv.js';
import { humanDuration } from './units.js';
import { charWidth } from './width.js';

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy' | 'none';

/** What the status line needs from a container's state. Times are epoch milliseconds. */
export interface StatusInput {
  running: boolean;
  paused?: boolean;
  restarting?: boolean;
  removalInProgress?: boolean;
  dead?: boolean;
  exitCode: number;
  /** Undefined: never started (Go's zero time). */
  startedAt?: number;
  finishedAt?: number;
  /** Undefined when the container has no health check. */
  health?: HealthStatus;
}

/** The State column: created | running | paused | restarting | removing | exited | dead. */
export type ContainerStateName = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** State.StateString. Note that a paused or restarting container is also "running" underneath. */
export function stateName(s: StatusInput): ContainerStateName {
  if (s.running) {
    if (s.paused) return 'paused';
    if (s.restarting) return 'restarting';
    return 'running';
  }
  if (s.removalInProgress) return 'removing';
  if (s.dead) return 'dead';
  if (s.startedAt === undefined) return 'created';
  return 'exited';
}

/** Health.String: "health: starting", otherwise the status itself. */
function healthText(h: HealthStatus): string {
  return h === 'starting' ? 'health: starting' : h;
}

/**
 * State.String, the STATUS column: `Up 3 seconds`, `Up 2 minutes (Paused)`,
 * `Up 5 minutes (healthy)`, `Exited (0) 2 minutes ago`, `Restarting (1) 3 seconds ago`,
 * `Created`, `Removal In Progress`, `Dead`.
 */
export function renderStatus(s: StatusInput, nowMs: number = Date.now()): string {
  const since = (t: number | undefined) => humanDuration(nowMs - (t ?? 0));
  if (s.running) {
    if (s.paused) return `Up ${since(s.startedAt)} (Paused)`;
    if (s.restarting) return `Restarting (${s.exitCode}) ${since(s.finishedAt)} ago`;
    if (s.health !== undefined) return `Up ${since(s.startedAt)} (${healthText(s.health)})`;
    return `Up ${since(s.startedAt)}`;
  }
  if (s.removalInProgress) return 'Removal In Progress';
  if (s.dead) return 'Dead';
  if (s.startedAt === undefined) return 'Created';
  if (s.finishedAt === undefined) return '';
  return `Exited (${s.exitCode}) ${since(s.finishedAt)} ago`;
}

/** stringid.TruncateID / formatter.TruncateID: drop an `algo:` prefix, keep 12 characters. */
export function truncateID(id: string): string {
  const colon = id.indexOf(':');
  if (colon >= 0) id = id.slice(colon + 1);
  return id.length > 12 ? id.slice(0, 12) : id;
}

/**
 * formatter.Ellipsis: fit `s` in `maxDisplayWidth` terminal columns, ending in `…` when cut.
 * East Asian wide characters count as two columns.
 */
export function ellipsis(s: string, maxDisplayWidth: number): string {
  if (maxDisplayWidth <= 0) return '';
  const rs = [...s];
  if (maxDisplayWidth === 1) return rs[0] ?? '';
  const byteLen = Buffer.byteLength(s);
  if (byteLen === rs.length) {
    // ASCII fast path
    return byteLen <= maxDisplayWidth ? s : rs.slice(0, maxDisplayWidth - 1).join('') + '…';
  }
  const display: number[] = [];
  let width = 0;
  for (const r of rs) {
    width += charWidth(r);
    display.push(width);
  }
  if (width <= maxDisplayWidth) return s;
  for (let i = 0; i < display.length - 1; i++) {
    if (display[i] <= maxDisplayWidth - 1 && display[i + 1] > maxDisplayWidth - 1) return rs.slice(0, i + 1).join('') + '…';
  }
  return s;
}

/**
 * The daemon's Command summary (daemon/list.go): the path, then the arguments, each argument
 * that contains a space wrapped in single quotes: `sh -c 'echo hi'`.
 */
export function commandSummary(path: string, args: readonly string[]): string {
  if (args.length === 0) return path;
  return `${path} ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`;
}

/** The COMMAND column: Go-quoted, cut to 20 columns with `…` unless --no-trunc. */
export function renderCommandColumn(command: string, trunc: boolean): string {
  return quote(trunc ? ellipsis(command, 20) : command);
}

/**
 * The NAMES column: names without their leading '/'. Truncated output shows only the first name
 * that is not a legacy link alias (`/other/alias`); --no-trunc shows all, comma-separated.
 */
export function renderNamesColumn(names: readonly string[], trunc: boolean): string {
  const stripped = names.map((n) => (n.startsWith('/') ? n.slice(1) : n));
  if (trunc) return stripped.find((n) => !n.includes('/')) ?? '';
  return stripped.join(',');
}
