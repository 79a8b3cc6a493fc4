// Build progress as BuildKit models it: numbered vertices (`#5 [2/3] RUN make`) that start,
// log output, print status lines, and end CACHED, DONE or with an ERROR. The executor talks
// to this model only; renderers (plain, tty, quiet) decide what the user sees. Log lines keep
// the time since their vertex started, which plain output prints (`#5 0.123 hello`) and the
// failure report repeats.

export interface LogLine {
  /** Seconds since the vertex started. */
  at: number;
  text: string;
}

export interface VertexState {
  readonly index: number;
  readonly name: string;
  readonly started: number;
  completed?: number;
  cached: boolean;
  error?: string;
  /** The last lines of output (a bounded tail: enough for the failure report and the tty). */
  readonly tail: LogLine[];
}

/** What a renderer receives, in order. */
export type ProgressEvent =
  | { kind: 'start'; v: VertexState }
  | { kind: 'log'; v: VertexState; line: LogLine }
  | { kind: 'status'; v: VertexState; text: string }
  | { kind: 'end'; v: VertexState }
  | { kind: 'warn'; text: string };

export interface Renderer {
  event(e: ProgressEvent): void;
  /** The build is over (successfully or not): draw the last frame, stop timers. */
  close(): void;
}

const TAIL = 20;

export class Vertex {
  private partial = ['', ''];

  constructor(
    readonly state: VertexState,
    private readonly emit: (e: ProgressEvent) => void,
    private readonly now: () => number,
  ) {}

  get index(): number {
    return this.state.index;
  }

  /** Output from the step's process (1 stdout, 2 stderr), split into lines. */
  log(data: Buffer | string, stream: 1 | 2 = 1): void {
    const text = this.partial[stream - 1] + data.toString();
    const lines = text.split('\n');
    this.partial[stream - 1] = lines.pop() ?? '';
    for (const l of lines) this.line(l);
  }

  status(text: string): void {
    this.emit({ kind: 'status', v: this.state, text });
  }

  cached(): void {
    this.finish(() => (this.state.cached = true));
  }

  done(): void {
    this.finish(() => {});
  }

  error(message: string): void {
    this.finish(() => (this.state.error = message));
  }

  get ended(): boolean {
    return this.state.completed !== undefined;
  }

  private line(text: string): void {
    const line = { at: (this.now() - this.state.started) / 1000, text: text.replace(/\r$/, '') };
    this.state.tail.push(line);
    if (this.state.tail.length > TAIL) this.state.tail.shift();
    this.emit({ kind: 'log', v: this.state, line });
  }

  private finish(mark: () => void): void {
    if (this.ended) return;
    for (let i = 0; i < 2; i++) {
      if (this.partial[i] !== '') this.line(this.partial[i]);
      this.partial[i] = '';
    }
    this.state.completed = this.now();
    mark();
    this.emit({ kind: 'end', v: this.state });
  }
}

/** Numbers vertices and forwards events to one renderer. */
export class Progress {
  private next = 1;
  readonly warnings: string[] = [];

  constructor(
    private readonly renderer: Renderer,
    private readonly now: () => number = () => performance.now(),
  ) {}

  vertex(name: string): Vertex {
    const state: VertexState = { index: this.next++, name, started: this.now(), cached: false, tail: [] };
    const v = new Vertex(state, (e) => this.renderer.event(e), this.now);
    this.renderer.event({ kind: 'start', v: state });
    return v;
  }

  warn(text: string): void {
    this.warnings.push(text);
    this.renderer.event({ kind: 'warn', text });
  }

  close(): void {
    this.renderer.close();
  }
}

/** `-q` / `--progress=quiet`: nothing. */
export class QuietRenderer implements Renderer {
  event(): void {}
  close(): void {}
}
