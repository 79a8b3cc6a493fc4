// `--progress=plain`: BuildKit's text output (util/progress/progressui/printer.go), one line
// per event, for logs and CI:
//   #5 [2/3] RUN make
//   #5 0.123 compiling…
//   #5 DONE 0.4s
// A blank line separates vertices; a vertex interrupted by another gets `#N ...` first.
import type { ProgressEvent, Renderer } from './progress.js';

export class PlainRenderer implements Renderer {
  private current?: number;
  private first = true;

  constructor(private readonly write: (text: string) => void) {}

  event(e: ProgressEvent): void {
    if (e.kind === 'warn') {
      this.switchTo(undefined);
      this.write(`${this.first ? '' : '\n'}WARNING: ${e.text}\n`);
      this.first = false;
      return;
    }
    const v = e.v;
    if (this.current !== v.index && e.kind !== 'start') this.switchTo(v.index, v.name);
    switch (e.kind) {
      case 'start':
        this.switchTo(v.index, v.name);
        break;
      case 'log':
        this.write(`#${v.index} ${e.line.at.toFixed(3)} ${e.line.text}\n`);
        break;
      case 'status':
        this.write(`#${v.index} ${e.text}\n`);
        break;
      case 'end':
        if (v.error !== undefined) this.write(`#${v.index} ERROR: ${v.error}\n`);
        else if (v.cached) this.write(`#${v.index} CACHED\n`);
        else this.write(`#${v.index} DONE ${(((v.completed ?? v.started) - v.started) / 1000).toFixed(1)}s\n`);
        this.current = undefined;
        break;
    }
  }

  close(): void {}

  private switchTo(index: number | undefined, name?: string): void {
    if (this.current === index) return;
    if (this.current !== undefined) this.write(`#${this.current} ...\n`);
    this.current = index;
    if (index === undefined) return;
    this.write(`${this.first ? '' : '\n'}#${index} ${name}\n`);
    this.first = false;
  }
}
