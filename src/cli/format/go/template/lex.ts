// Lexer for Go's text/template syntax (text/template/parse/lex.go): `{{ }}` actions with
// `{{- -}}` trim markers, comments, fields, variables, strings, numbers and keywords.
// Errors carry Go's wording, since docker prints them verbatim after "template parsing error: ".

export type ItemType =
  | 'error'
  | 'bool'
  | 'char' // printable ASCII character; grab bag for comma etc.
  | 'charConstant'
  | 'assign' // =
  | 'declare' // :=
  | 'eof'
  | 'field' // .Field
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable' // $x
  // keywords
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

export interface Item {
  type: ItemType;
  /** Offset of the item in the template text (JS string index). */
  pos: number;
  val: string;
  /** 1-based line the item starts on. */
  line: number;
}

const KEYWORDS: Record<string, ItemType> = {
  '.': 'dot',
  block: 'block',
  break: 'break',
  continue: 'continue',
  define: 'define',
  else: 'else',
  end: 'end',
  if: 'if',
  range: 'range',
  nil: 'nil',
  template: 'template',
  with: 'with',
};
const KEYWORD_TYPES = new Set<ItemType>(Object.values(KEYWORDS));

/** How Go prints an item in "unexpected X in Y" messages. */
export function describeItem(i: Item): string {
  if (i.type === 'eof') return 'EOF';
  if (i.type === 'error') return i.val;
  if (KEYWORD_TYPES.has(i.type)) return `<${i.val}>`;
  if (i.val.length > 10) return JSON.stringify(i.val.slice(0, 10)) + '...';
  return JSON.stringify(i.val);
}

const LEFT = '{{';
const RIGHT = '}}';
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlphaNumeric = (c: string | undefined): boolean => c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);
const hasLeftTrimMarker = (s: string): boolean => s.length >= 2 && s[0] === '-' && isSpace(s[1]);
const hasRightTrimMarker = (s: string): boolean => s.length >= 2 && isSpace(s[0]) && s[1] === '-';

/** Go's %#U for a rune: U+007D '}'. */
function formatRune(c: string): string {
  const cp = c.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

/** Tokenises a whole template. The last item is `eof` or `error`. */
export function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0; // current position
  let start = 0; // start of the current item
  let line = 1; // line of `start`
  let parenDepth = 0;

  const emit = (type: ItemType, val = input.slice(start, pos)): void => {
    items.push({ type, pos: start, val, line });
    line += countNewlines(input.slice(start, pos));
    start = pos;
  };
  const ignore = (): void => {
    line += countNewlines(input.slice(start, pos));
    start = pos;
  };
  const fail = (msg: string): Item[] => {
    items.push({ type: 'error', pos: start, val: msg, line });
    return items;
  };

  for (;;) {
    // --- text up to the next action ---
    const x = input.indexOf(LEFT, pos);
    if (x < 0) {
      pos = input.length;
      if (pos > start) emit('text');
      emit('eof', '');
      return items;
    }
    const trim = hasLeftTrimMarker(input.slice(x + LEFT.length));
    pos = x;
    let textEnd = x;
    if (trim) while (textEnd > start && isSpace(input[textEnd - 1])) textEnd--;
    if (textEnd > start) {
      const saved = pos;
      pos = textEnd;
      emit('text');
      pos = saved;
    }
    ignore();
    // --- left delimiter, possibly a comment ---
    const afterMarker = trim ? 2 : 0;
    if (input.startsWith('/*', x + LEFT.length + afterMarker)) {
      pos = x + LEFT.length + afterMarker;
      ignore();
      const end = input.indexOf('*/', pos + 2);
      if (end < 0) return fail('unclosed comment');
      pos = end + 2;
      const [delim, trimAfter] = atRightDelim(input, pos);
      if (!delim) return fail('comment ends before closing delimiter');
      pos += (trimAfter ? 2 : 0) + RIGHT.length;
      ignore();
      if (trimAfter) skipSpace();
      continue;
    }
    pos = x + LEFT.length;
    emit('leftDelim');
    pos += afterMarker;
    ignore();
    parenDepth = 0;
    // --- inside the action ---
    const err = lexInsideAction();
    if (err !== undefined) return fail(err);
  }

  function skipSpace(): void {
    while (isSpace(input[pos])) pos++;
    ignore();
  }

  /** Lexes one action up to and including its right delimiter; returns an error message or undefined. */
  function lexInsideAction(): string | undefined {
    for (;;) {
      const [delim, trimAfter] = atRightDelim(input, pos);
      if (delim) {
        if (parenDepth !== 0) return 'unclosed left paren';
        pos += trimAfter ? 2 : 0;
        ignore();
        pos += RIGHT.length;
        emit('rightDelim');
        if (trimAfter) skipSpace();
        return undefined;
      }
      const c = input[pos];
      if (c === undefined) return 'unclosed action';
      if (isSpace(c)) {
        let n = 0;
        while (isSpace(input[pos])) {
          pos++;
          n++;
        }
        // A space that belongs to a trim-marked closing delimiter (" -}}") is not a token.
        if (hasRightTrimMarker(input.slice(pos - 1)) && input.startsWith(RIGHT, pos - 1 + 2)) {
          pos--;
          if (n === 1) continue;
        }
        emit('space');
        continue;
      }
      pos++;
      switch (c) {
        case '=':
          emit('assign');
          continue;
        case ':':
          if (input[pos] !== '=') return 'expected :=';
          pos++;
          emit('declare');
          continue;
        case '|':
          emit('pipe');
          continue;
        case '"': {
          for (;;) {
            const d = input[pos++];
            if (d === '\\') {
              const e = input[pos];
              if (e !== undefined && e !== '\n') {
                pos++;
                continue;
              }
              return 'unterminated quoted string';
            }
            if (d === undefined || d === '\n') return 'unterminated quoted string';
            if (d === '"') break;
          }
          emit('string');
          continue;
        }
        case '`': {
          const end = input.indexOf('`', pos);
          if (end < 0) return 'unterminated raw quoted string';
          pos = end + 1;
          emit('rawString');
          continue;
        }
        case "'": {
          for (;;) {
            const d = input[pos++];
            if (d === '\\') {
              const e = input[pos];
              if (e !== undefined && e !== '\n') {
                pos++;
                continue;
              }
              return 'unterminated character constant';
            }
            if (d === undefined || d === '\n') return 'unterminated character constant';
            if (d === "'") break;
          }
          emit('charConstant');
          continue;
        }
        case '$': {
          const err = lexFieldOrVariable('variable');
          if (err) return err;
          continue;
        }
        case '(':
          emit('leftParen');
          parenDepth++;
          continue;
        case ')':
          parenDepth--;
          if (parenDepth < 0) return 'unexpected right paren';
          emit('rightParen');
          continue;
      }
      if (c === '.' && !(input[pos] >= '0' && input[pos] <= '9')) {
        const err = lexFieldOrVariable('field');
        if (err) return err;
        continue;
      }
      if (c === '.' || c === '+' || c === '-' || (c >= '0' && c <= '9')) {
        pos--;
        if (!scanNumber()) return `bad number syntax: ${JSON.stringify(input.slice(start, pos))}`;
        emit('number');
        continue;
      }
      if (isAlphaNumeric(c)) {
        while (isAlphaNumeric(input[pos])) pos++;
        const word = input.slice(start, pos);
        if (!atTerminator()) return `bad character ${formatRune(String.fromCodePoint(input.codePointAt(pos)!))}`;
        if (KEYWORDS[word] !== undefined && word !== '.') emit(KEYWORDS[word]);
        else if (word === 'true' || word === 'false') emit('bool');
        else emit('identifier');
        continue;
      }
      const cp = c.codePointAt(0)!;
      if (cp <= 0x7f && cp >= 0x20 && cp !== 0x7f) {
        emit('char');
        continue;
      }
      const full = String.fromCodePoint(input.codePointAt(pos - 1)!);
      return `unrecognized character in action: ${formatRune(full)}`;
    }
  }

  /** `$x`, `$`, `.Field` or a lone `.`. The sigil has been consumed. */
  function lexFieldOrVariable(type: 'variable' | 'field'): string | undefined {
    if (atTerminator()) {
      emit(type === 'variable' ? 'variable' : 'dot');
      return undefined;
    }
    while (isAlphaNumeric(input[pos])) pos++;
    if (!atTerminator()) return `bad character ${formatRune(String.fromCodePoint(input.codePointAt(pos)!))}`;
    emit(type);
    return undefined;
  }

  function atTerminator(): boolean {
    const c = input[pos];
    if (c === undefined || isSpace(c)) return true;
    if ('.,|:()'.includes(c)) return true;
    return input.startsWith(RIGHT, pos);
  }

  /** Go's scanNumber: sign, base prefixes, underscores, fraction, exponent, imaginary suffix. */
  function scanNumber(): boolean {
    if (input[pos] === '+' || input[pos] === '-') pos++;
    let base = 10;
    if (input[pos] === '0') {
      const p = input[pos + 1]?.toLowerCase();
      if (p === 'x' || p === 'o' || p === 'b') {
        pos += 2;
        base = p === 'x' ? 16 : p === 'o' ? 8 : 2;
      }
    }
    const digits = { 16: '0123456789abcdefABCDEF_', 10: '0123456789_', 8: '01234567_', 2: '01_' }[base]!;
    const run = (set: string): void => {
      while (input[pos] !== undefined && set.includes(input[pos])) pos++;
    };
    run(digits);
    if (input[pos] === '.') {
      pos++;
      run(digits);
    }
    const expMark = base === 10 ? 'eE' : base === 16 ? 'pP' : '';
    if (input[pos] !== undefined && expMark.includes(input[pos])) {
      pos++;
      if (input[pos] === '+' || input[pos] === '-') pos++;
      run('0123456789_');
    }
    if (input[pos] === 'i') pos++;
    if (isAlphaNumeric(input[pos])) {
      pos++;
      return false;
    }
    return true;
  }
}

function atRightDelim(input: string, pos: number): [delim: boolean, trim: boolean] {
  if (hasRightTrimMarker(input.slice(pos)) && input.startsWith(RIGHT, pos + 2)) return [true, true];
  if (input.startsWith(RIGHT, pos)) return [true, false];
  return [false, false];
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
