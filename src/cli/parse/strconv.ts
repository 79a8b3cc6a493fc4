// Go's strconv, as far as docker's flag values reach it: ParseInt/ParseUint/Atoi/ParseFloat/
// ParseBool with Go's exact syntax and error texts (`strconv.ParseInt: parsing "x": invalid
// syntax`, which docker prints after `invalid argument "x" for "--flag" flag: `), and Quote.

/** A strconv.NumError; `message` is Go's Error() text. */
export class StrconvError extends Error {
  constructor(
    readonly func: string,
    readonly input: string,
    readonly reason: 'invalid syntax' | 'value out of range' | string,
  ) {
    super(`strconv.${func}: parsing ${quote(input)}: ${reason}`);
    this.name = 'StrconvError';
  }
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/** underscoreOK (strconv/atoi.go): `_` only between digits or after a base prefix, in base-0 literals. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1])) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseUint(s, base, bitSize). base 0 reads Go prefixes (0x, 0o, 0b, leading 0). */
export function parseUint(s: string, base = 10, bitSize = 64, func = 'ParseUint'): bigint {
  if (s === '') throw new StrconvError(func, s, 'invalid syntax');
  const base0 = base === 0;
  let digits = s;
  if (base0) {
    base = 10;
    if (s[0] === '0') {
      const p = s[1]?.toLowerCase();
      if (s.length >= 3 && p === 'b') [base, digits] = [2, s.slice(2)];
      else if (s.length >= 3 && p === 'o') [base, digits] = [8, s.slice(2)];
      else if (s.length >= 3 && p === 'x') [base, digits] = [16, s.slice(2)];
      else [base, digits] = [8, s.slice(1)];
    }
  }
  let n = 0n;
  let underscores = false;
  const max = (1n << BigInt(bitSize)) - 1n;
  for (const ch of digits.toLowerCase()) {
    if (ch === '_' && base0) {
      underscores = true;
      continue;
    }
    const d = DIGITS.indexOf(ch);
    if (d < 0 || d >= base) throw new StrconvError(func, s, 'invalid syntax');
    n = n * BigInt(base) + BigInt(d);
  }
  if (underscores && !underscoreOK(s)) throw new StrconvError(func, s, 'invalid syntax');
  if (n > max) throw new StrconvError(func, s, 'value out of range');
  return n;
}

/** strconv.ParseInt(s, base, bitSize). */
export function parseInt(s: string, base = 10, bitSize = 64, func = 'ParseInt'): bigint {
  if (s === '') throw new StrconvError(func, s, 'invalid syntax');
  const neg = s[0] === '-';
  const body = s[0] === '+' || s[0] === '-' ? s.slice(1) : s;
  let un: bigint;
  try {
    un = parseUint(body, base, bitSize, func);
  } catch (e) {
    if (e instanceof StrconvError) throw new StrconvError(func, s, e.reason);
    throw e;
  }
  const cutoff = 1n << BigInt(bitSize - 1);
  if (!neg && un >= cutoff) throw new StrconvError(func, s, 'value out of range');
  if (neg && un > cutoff) throw new StrconvError(func, s, 'value out of range');
  return neg ? -un : un;
}

/** strconv.Atoi: a base-10 int (64-bit), as a JS number. */
export function atoi(s: string): number {
  return Number(parseInt(s, 10, 64, 'Atoi'));
}

/** strconv.ParseInt(s, 10, 64) as a number: the common int64 flag (pflag's Int64). */
export function parseInt64(s: string): number {
  return Number(parseInt(s, 0, 64));
}

const DECIMAL_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))[pP]([+-]?\d+)$/;

/** strconv.ParseFloat(s, 64). */
export function parseFloat(s: string): number {
  const lower = s.toLowerCase();
  const m = /^([+-]?)(inf|infinity|nan)$/.exec(lower);
  if (m) {
    if (m[2] === 'nan') {
      if (m[1] !== '') throw new StrconvError('ParseFloat', s, 'invalid syntax');
      return NaN;
    }
    return m[1] === '-' ? -Infinity : Infinity;
  }
  let v: number;
  const clean = s.includes('_') && underscoreOK(s) && /^[+-]?0[xXbBoO]/.test(s) ? s.replace(/_/g, '') : s;
  if (DECIMAL_FLOAT.test(clean)) v = Number(clean);
  else {
    const h = HEX_FLOAT.exec(clean);
    if (!h) throw new StrconvError('ParseFloat', s, 'invalid syntax');
    const [int, frac = ''] = h[2].split('.');
    const mant = Number.parseInt((int || '0') + frac, 16);
    v = mant * 2 ** (Number(h[3]) - 4 * frac.length);
    if (h[1] === '-') v = -v;
  }
  if (!Number.isFinite(v)) throw new StrconvError('ParseFloat', s, 'value out of range');
  return v;
}

/** strconv.ParseBool. */
export function parseBool(s: string): boolean {
  switch (s) {
    case '1':
    case 't':
    case 'T':
    case 'TRUE':
    case 'true':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'FALSE':
    case 'false':
    case 'False':
      return false;
  }
  throw new StrconvError('ParseBool', s, 'invalid syntax');
}

// --- strconv.Quote ---

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** strconv.Quote: a double-quoted Go string literal with non-printable runes escaped. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) out += quoteRuneBody(ch, '"');
  return out + '"';
}

/** strconv.QuoteRune: `'a'`. */
export function quoteRune(codePoint: number): string {
  const valid = codePoint >= 0 && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
  return `'${quoteRuneBody(String.fromCodePoint(valid ? codePoint : 0xfffd), "'")}'`;
}

function quoteRuneBody(ch: string, q: string): string {
  const cp = ch.codePointAt(0)!;
  if (ch === q || ch === '\\') return '\\' + ch;
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd'; // a lone surrogate is invalid UTF-8 in Go
  if (PRINTABLE.test(ch)) return ch;
  const named: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
  if (named[ch]) return named[ch];
  if (cp < 0x20 || cp === 0x7f) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp < 0x10000) return '\\u' + cp.toString(16).padStart(4, '0');
  return '\\U' + cp.toString(16).padStart(8, '0');
}

/**
 * strconv.Unquote for Go string literals: "…" with escapes, `…` raw, '…' rune.
 * Returns undefined for malformed input (Go's ErrSyntax).
 */
export function unquote(s: string): string | undefined {
  if (s.length < 2) return undefined;
  const q = s[0];
  if (q !== s[s.length - 1]) return undefined;
  const body = s.slice(1, -1);
  if (q === '`') return body.includes('`') ? undefined : body.replace(/\r/g, '');
  if (q !== '"' && q !== "'") return undefined;
  let out = '';
  for (let i = 0; i < body.length; ) {
    const r = unquoteChar(body, i, q);
    if (r === undefined) return undefined;
    out += r.value;
    i = r.next;
  }
  if (q === "'" && [...out].length !== 1) return undefined;
  return out;
}

/** strconv.UnquoteChar: one (possibly escaped) character of a quoted literal body. */
export function unquoteChar(s: string, i: number, q: string): { value: string; next: number } | undefined {
  const c = s[i];
  if (c === undefined) return undefined;
  if (c === q || c === '\n') return undefined;
  if (c !== '\\') {
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    return { value: ch, next: i + ch.length };
  }
  const e = s[i + 1];
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
  if (e === undefined) return undefined;
  if (simple[e] !== undefined) return { value: simple[e], next: i + 2 };
  if (e === q) return { value: e, next: i + 2 };
  const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
  if (hexLen > 0) {
    const hex = s.slice(i + 2, i + 2 + hexLen);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(hex)) return undefined;
    const cp = Number.parseInt(hex, 16);
    if (e === 'x') {
      // \xNN is a byte; a byte ≥ 0x80 alone is invalid UTF-8, which JS cannot hold: use U+FFFD.
      return { value: cp < 0x80 ? String.fromCharCode(cp) : '\ufffd', next: i + 2 + hexLen };
    }
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    return { value: String.fromCodePoint(cp), next: i + 2 + hexLen };
  }
  if (e >= '0' && e <= '7') {
    const oct = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(oct)) return undefined;
    const v = Number.parseInt(oct, 8);
    if (v > 255) return undefined;
    return { value: v < 0x80 ? String.fromCharCode(v) : '\ufffd', next: i + 4 };
  }
  return undefined;
}
