// Go's text/tabwriter, as forked by the docker CLI (cli/command/formatter/tabwriter, cell widths
// from go-runewidth) and configured by it: NewWriter(out, 10, 1, 3, ' ', 0). Elastic tabstops:
// tab-terminated cells in consecutive lines form a column, padded to its widest cell; a line
// without tabs ends the column block. The byte output matches docker's, trailing spaces included.
import { stringWidth } from './width.js';

export interface TabwriterConfig {
  /** Minimal cell width including padding. */
  minwidth: number;
  /** Width of a tab character when padchar is '\t'. */
  tabwidth: number;
  /** Padding added to a cell before computing its width. */
  padding: number;
  padchar: string;
  alignRight?: boolean;
  /** Drop columns made only of empty, soft-tab ('\v') terminated cells. */
  discardEmptyColumns?: boolean;
}

/** `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`, as every docker table uses. */
export const DOCKER_TABWRITER: TabwriterConfig = { minwidth: 10, tabwidth: 1, padding: 3, padchar: ' ' };

interface Cell {
  size: number; // length of the cell text in `buf` (JS string units)
  width: number; // display width
  htab: boolean; // terminated by '\t' (hard) rather than '\v'
}

export class TabWriter {
  private buf = '';
  private pos = 0;
  private cell: Cell = { size: 0, width: 0, htab: false };
  private lines: Cell[][] = [[]];
  private widths: number[] = [];
  private out = '';

  constructor(private readonly cfg: TabwriterConfig = DOCKER_TABWRITER) {}

  write(text: string): void {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch !== '\t' && ch !== '\v' && ch !== '\n' && ch !== '\f') continue;
      this.append(text.slice(n, i));
      this.updateWidth();
      n = i + 1;
      const ncells = this.terminateCell(ch === '\t');
      if (ch === '\n' || ch === '\f') {
        this.lines.push([]);
        // A line with a single cell cannot affect the columns of later lines: flush now.
        if (ch === '\f' || ncells === 1) this.flushBuffered();
      }
    }
    this.append(text.slice(n));
  }

  /** Formats everything written so far and returns the complete output. */
  flush(): string {
    this.flushBuffered();
    const out = this.out;
    this.out = '';
    return out;
  }

  private append(s: string): void {
    this.buf += s;
    this.cell.size += s.length;
  }

  private updateWidth(): void {
    this.cell.width += stringWidth(this.buf.slice(this.pos));
    this.pos = this.buf.length;
  }

  private terminateCell(htab: boolean): number {
    this.cell.htab = htab;
    const line = this.lines[this.lines.length - 1];
    line.push(this.cell);
    this.cell = { size: 0, width: 0, htab: false };
    return line.length;
  }

  private flushBuffered(): void {
    if (this.cell.size > 0) {
      this.updateWidth();
      this.terminateCell(false);
    }
    this.format(0, 0, this.lines.length);
    // reset
    this.buf = '';
    this.pos = 0;
    this.cell = { size: 0, width: 0, htab: false };
    this.lines = [[]];
    this.widths = [];
  }

  private writePadding(textw: number, cellw: number): void {
    if (this.cfg.padchar === '\t') {
      if (this.cfg.tabwidth === 0) return;
      cellw = Math.ceil(cellw / this.cfg.tabwidth) * this.cfg.tabwidth;
      this.out += '\t'.repeat(Math.ceil((cellw - textw) / this.cfg.tabwidth));
      return;
    }
    this.out += this.cfg.padchar.repeat(cellw - textw);
  }

  private writeLines(pos: number, line0: number, line1: number): number {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i];
      for (let j = 0; j < line.length; j++) {
        const c = line[j];
        if (c.size === 0) {
          if (j < this.widths.length) this.writePadding(c.width, this.widths[j]);
          continue;
        }
        const text = this.buf.slice(pos, pos + c.size);
        pos += c.size;
        if (this.cfg.alignRight && j < this.widths.length) {
          this.writePadding(c.width, this.widths[j]);
          this.out += text;
        } else {
          this.out += text;
          if (j < this.widths.length) this.writePadding(c.width, this.widths[j]);
        }
      }
      if (i + 1 === this.lines.length) {
        // The last buffered line has no newline yet: write only its pending text.
        this.out += this.buf.slice(pos, pos + this.cell.size);
        pos += this.cell.size;
      } else this.out += '\n';
    }
    return pos;
  }

  /** Go's recursive column formatter: text between line0 and line1, `pos` at line0's start. */
  private format(pos: number, line0: number, line1: number): number {
    const column = this.widths.length;
    for (let l = line0; l < line1; l++) {
      if (column >= this.lines[l].length - 1) continue;
      // This line has a cell in this column: print what precedes the block, then size the column.
      pos = this.writeLines(pos, line0, l);
      line0 = l;
      let width = this.cfg.minwidth;
      let discardable = true;
      for (; l < line1; l++) {
        const line = this.lines[l];
        if (column >= line.length - 1) break;
        const c = line[column];
        width = Math.max(width, c.width + this.cfg.padding);
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && this.cfg.discardEmptyColumns) width = 0;
      this.widths.push(width);
      pos = this.format(pos, line0, l);
      this.widths.pop();
      line0 = l;
    }
    return this.writeLines(pos, line0, line1);
  }
}

/** Aligns tab-separated text as docker's tables do. */
export function alignTabs(text: string, cfg: TabwriterConfig = DOCKER_TABWRITER): string {
  const w = new TabWriter(cfg);
  w.write(text);
  return w.flush();
}
