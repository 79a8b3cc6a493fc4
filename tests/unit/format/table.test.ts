// Go text/tabwriter behaviour with docker's settings (minwidth 10, padding 3, spaces).
import { describe, expect, it } from 'vitest';
import { alignTabs, TabWriter } from '../../../src/cli/format/table.js';
import { ellipsis } from '../../../src/cli/format/status.js';
import { stringWidth } from '../../../src/cli/format/width.js';

describe('alignTabs (docker tabwriter)', () => {
  it('pads every column to its widest cell plus 3, at least 10', () => {
    expect(alignTabs('A\tBB\tC\nlonger-value\tx\ty\n')).toBe('A              BB        C\nlonger-value   x         y\n');
  });
  it('keeps the padding of an empty last column (docker prints trailing spaces)', () => {
    expect(alignTabs('NAME\tERROR\nfoo\t\n')).toBe('NAME      ERROR\nfoo       \n');
  });
  it('trailing text without a tab is not part of a column', () => {
    expect(alignTabs('a\tb\na\tverylongtext\nc\n')).toBe('a         b\na         verylongtext\nc\n');
  });
  it('a line without tabs ends the column block', () => {
    expect(alignTabs('a\tb\nplain line\nxxxxxxxxxxxxxxx\tc\n')).toBe('a         b\nplain line\nxxxxxxxxxxxxxxx   c\n');
  });
  it('columns are elastic: a cell only aligns with the contiguous block above and below', () => {
    // Go's own package example: b and c are in distinct columns
    expect(alignTabs('aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n')).toBe(
      'aaaa      bbb       d\naa        b         dd\na         \naa        cccc      eee\n',
    );
  });
  it('counts East Asian wide characters as two columns', () => {
    expect(alignTabs('日本\tx\nab\ty\n')).toBe('日本      x\nab        y\n');
    expect(stringWidth('日本語')).toBe(6);
    expect(stringWidth('e\u0301')).toBe(1);
  });
  it('accepts input in pieces and flushes at the end', () => {
    const w = new TabWriter();
    w.write('ID\tNA');
    w.write('ME\n1\tx');
    expect(w.flush()).toBe('ID        NAME\n1         x');
  });
  it('supports other configurations (right alignment, tabs)', () => {
    expect(alignTabs('a\tbbb\nccc\td\n', { minwidth: 0, tabwidth: 8, padding: 1, padchar: ' ', alignRight: true })).toBe(
      '   abbb\n cccd\n',
    );
    expect(alignTabs('a\tb\nlonger\tc\n', { minwidth: 0, tabwidth: 8, padding: 1, padchar: '\t' })).toBe('a\tb\nlonger\tc\n');
  });
});

describe('ellipsis (formatter.Ellipsis)', () => {
  it.each([
    ['hello world', 20, 'hello world'],
    ['/docker-entrypoint.sh nginx -g daemon off;', 20, '/docker-entrypoint.…'],
    ['abc', 1, 'a'],
    ['abc', 0, ''],
    ['日本語のテキスト', 7, '日本語…'],
    ['日本語', 6, '日本語'],
  ])('%s / %d', (s, w, expected) => {
    expect(ellipsis(s, w)).toBe(expected);
  });
});
