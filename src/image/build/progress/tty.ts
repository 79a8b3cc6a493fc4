// `--progress=tty` (the default on a terminal): a live display redrawn in place, as BuildKit's
//   [+] Building 1.2s (3/5)
//    => CACHED [1/3] FROM docker.io/library/busybox:latest          0.0s
//    => [2/3] RUN make                                               0.8s
//    => => # compiling…
// The running vertex shows its last output lines; finished ones keep their time. The frame is
// redrawn every 100 ms and on every event (cursor up, clear to end of screen); the last frame
// says FINISHED. Lines are cut to the terminal width so that the cursor arithmetic holds.
import type { ProgressEvent, Renderer, VertexState } from './progress.js';

const LOG_LINES = 6;
const TICK_MS = 100;

export interface TtyOptions {
  write: (text: string) => void;
  columns: () => number;
  rows: () => number;
  now?: () => number;
}

export class TtyRenderer implements Renderer {
  private readonly vertices: VertexState[] = [];
  private readonly warnings: string[] = [];
  private readonly started: number;
  private drawn = 0;
  private timer?: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly o: TtyOptions) {
    this.now = o.now ?? (() => performance.now());
    this.started = this.now();
    this.timer = setInterval(() => this.draw(false), TICK_MS);
    this.timer.unref();
  }

  event(e: ProgressEvent): void {
    if (e.kind === 'warn') this.warnings.push(e.text);
    else if (e.kind === 'start') this.vertices.push(e.v);
    if (e.kind !== 'log') this.draw(false);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.draw(true);
    for (const w of this.warnings) this.o.write(`WARNING: ${w}\n`);
  }

  /** The frame's lines (exported for tests through `frame`). */
  frame(final: boolean): string[] {
    const now = this.now();
    const done = this.vertices.filter((v) => v.completed !== undefined).length;
    const header = `[+] Building ${((now - this.started) / 1000).toFixed(1)}s (${done}/${this.vertices.length})${final ? ' FINISHED' : ''}`;
    // One column short: a line filling the last column would wrap on some terminals.
    const width = Math.max(40, this.o.columns()) - 1;
    const lines = [header];
    for (const v of this.vertices) {
      const secs = (((v.completed ?? now) - v.started) / 1000).toFixed(1);
      const label = `${v.error !== undefined ? 'ERROR ' : v.cached ? 'CACHED ' : ''}${v.name}`;
      lines.push(fit(` => ${label}`, `${secs}s`, width));
      if (v.completed === undefined || v.error !== undefined) {
        for (const l of v.tail.slice(-LOG_LINES)) lines.push(cut(` => => # ${l.text}`, width));
      }
    }
    // Keep the bottom of the display when the terminal is shorter than the frame.
    const room = Math.max(2, this.o.rows() - 1);
    return lines.length > room ? [header, ...lines.slice(lines.length - room + 1)] : lines;
  }

  private draw(final: boolean): void {
    const lines = this.frame(final);
    let out = this.drawn > 0 ? `\x1b[${this.drawn}A\r` : '';
    out += lines.map((l) => `${l}\x1b[K\n`).join('') + '\x1b[J';
    this.drawn = lines.length;
    this.o.write(out);
  }
}

/** `left` and `right` on one line of `width` columns, `left` cut when needed. */
function fit(left: string, right: string, width: number): string {
  const room = width - right.length - 1;
  const l = left.length > room ? `${left.slice(0, Math.max(0, room - 3))}...` : left;
  return `${l}${' '.repeat(Math.max(1, width - l.length - right.length))}${right}`;
}

function cut(s: string, width: number): string {
  // Control characters in a step's output (colours, \r progress bars) would break the layout.
  const clean = s.replace(/\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x1f\x7f]/g, '');
  return clean.length > width ? clean.slice(0, width) : clean;
}
