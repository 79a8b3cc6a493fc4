// Signal names and numbers for --stop-signal and `kill -s` on Linux (moby/sys/signal
// SignalMap, ParseSignal): `SIGTERM`, `TERM`, `term`, `15`, `SIGRTMIN+3`.
import { badValue } from './flag-error.js';
import { atoi } from './strconv.js';

const SIGRTMIN = 34;
const SIGRTMAX = 64;

/** Linux signal numbers by name, without the SIG prefix (signal_linux.go). */
export const SIGNALS: Readonly<Record<string, number>> = (() => {
  const m: Record<string, number> = {
    ABRT: 6, ALRM: 14, BUS: 7, CHLD: 17, CLD: 17, CONT: 18, FPE: 8, HUP: 1, ILL: 4, INT: 2, IO: 29,
    IOT: 6, KILL: 9, PIPE: 13, POLL: 29, PROF: 27, PWR: 30, QUIT: 3, SEGV: 11, STKFLT: 16, STOP: 19,
    SYS: 31, TERM: 15, TRAP: 5, TSTP: 20, TTIN: 21, TTOU: 22, URG: 23, USR1: 10, USR2: 12,
    VTALRM: 26, WINCH: 28, XCPU: 24, XFSZ: 25, RTMIN: SIGRTMIN, RTMAX: SIGRTMAX,
  };
  for (let i = 1; i <= 15; i++) {
    m[`RTMIN+${i}`] = SIGRTMIN + i;
    m[`RTMAX-${i}`] = SIGRTMAX - i;
  }
  return m;
})();

/**
 * ParseSignal: a number, or a name with or without `SIG`, any case. Numbers outside 1..64 are
 * rejected here too (the daemon would fail to deliver them).
 */
export function parseSignal(raw: string): number {
  const invalid = () => badValue(`Invalid signal: ${raw}`);
  if (/^[+-]?\d+$/.test(raw)) {
    let n: number;
    try {
      n = atoi(raw);
    } catch {
      throw invalid();
    }
    if (n <= 0 || n > SIGRTMAX) throw invalid();
    return n;
  }
  let name = raw.toUpperCase();
  if (name.startsWith('SIG')) name = name.slice(3);
  const n = SIGNALS[name];
  if (n === undefined) throw invalid();
  return n;
}

const PREFERRED = new Map<number, string>();
for (const [name, n] of Object.entries(SIGNALS)) {
  // Prefer the canonical names over aliases (CHLD over CLD, ABRT over IOT, IO over POLL).
  if (!PREFERRED.has(n) && !['CLD', 'IOT', 'POLL'].includes(name)) PREFERRED.set(n, name);
}

/** The `SIGTERM` spelling of a signal number, as docker stores StopSignal. */
export function signalName(n: number): string {
  const name = PREFERRED.get(n);
  return name === undefined ? String(n) : `SIG${name}`;
}
