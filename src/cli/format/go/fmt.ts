// The part of Go's fmt package that templates reach through `printf`, `print` and `println`:
// verbs v s q d x X o b c t e E f F g G T U, flags, width, precision, `[n]` argument indexes, and
// Go's inline error forms (`%!d(string=foo)`, `%!s(MISSING)`, `%!(EXTRA int=1)`).
import { formatFloat } from './float.js';
import { formatValue, goQuote, goQuoteRune, goTypeName, kindOf, mapEntries, numberOf, stringerOf, structFields } from './value.js';

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

const NO_FLAGS: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };

function runeLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function pad(s: string, spec: Spec, numeric = false): string {
  const w = spec.width;
  if (w === undefined) return s;
  const n = runeLength(s);
  if (n >= w) return s;
  if (spec.minus) return s + ' '.repeat(w - n);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s[0] : '';
    return sign + '0'.repeat(w - n) + s.slice(sign.length);
  }
  return ' '.repeat(w - n) + s;
}

function badVerb(verb: string, arg: unknown): string {
  if (arg === null || arg === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(arg)}=${formatValue(arg)})`;
}

function fmtInteger(v: bigint, verb: string, spec: Spec): string {
  const neg = v < 0n;
  const abs = neg ? -v : v;
  let digits: string;
  let prefix = '';
  switch (verb) {
    case 'v':
    case 'd':
      digits = abs.toString(10);
      break;
    case 'b':
      digits = abs.toString(2);
      if (spec.sharp) prefix = '0b';
      break;
    case 'o':
    case 'O':
      digits = abs.toString(8);
      if (verb === 'O') prefix = '0o';
      else if (spec.sharp && digits[0] !== '0') prefix = '0';
      break;
    case 'x':
      digits = abs.toString(16);
      if (spec.sharp) prefix = '0x';
      break;
    case 'X':
      digits = abs.toString(16).toUpperCase();
      if (spec.sharp) prefix = '0X';
      break;
    default:
      throw new Error(`unreachable verb ${verb}`);
  }
  if (spec.prec !== undefined) {
    if (spec.prec === 0 && v === 0n) digits = '';
    digits = digits.padStart(spec.prec, '0');
  }
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  // Precision disables zero padding (fmt docs: "0 ... ignored ... when precision is set").
  const s = sign + prefix + digits;
  return pad(s, spec.prec === undefined ? spec : { ...spec, zero: false }, true);
}

function fmtFloatVerb(x: number, verb: string, spec: Spec): string {
  const lower = verb.toLowerCase();
  let s: string;
  if (verb === 'v') s = formatFloat(x, 'g', spec.prec ?? -1);
  else if (lower === 'f') s = formatFloat(x, 'f', spec.prec ?? 6);
  else if (lower === 'e') s = formatFloat(x, verb as 'e' | 'E', spec.prec ?? 6);
  else s = formatFloat(x, verb as 'g' | 'G', spec.prec ?? -1);
  if (spec.plus && !s.startsWith('-')) s = '+' + s;
  else if (spec.space && !s.startsWith('-')) s = ' ' + s;
  if (!Number.isFinite(x)) return pad(s, { ...spec, zero: false });
  return pad(s, spec, true);
}

function fmtString(s: string, verb: string, spec: Spec): string {
  if (spec.prec !== undefined) s = [...s].slice(0, spec.prec).join('');
  switch (verb) {
    case 'v':
      return pad(spec.sharp ? goQuote(s) : s, spec);
    case 's':
      return pad(s, spec);
    case 'q':
      return pad(spec.sharp && !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(s) ? '`' + s + '`' : goQuote(s), spec);
    case 'x':
    case 'X': {
      let hex = Buffer.from(s, 'utf8').toString('hex');
      if (verb === 'X') hex = hex.toUpperCase();
      return pad((spec.sharp ? (verb === 'x' ? '0x' : '0X') : '') + hex, spec);
    }
  }
  return badVerb(verb, s);
}

/** Formats one operand with one verb (fmt's printArg). */
export function formatArg(arg: unknown, verb: string, spec: Spec = NO_FLAGS): string {
  if (verb === 'T') return pad(arg === null || arg === undefined ? '<nil>' : goTypeName(arg), spec);
  switch (kindOf(arg)) {
    case 'invalid':
    case 'nil':
      return verb === 'v' ? pad('<nil>', spec) : badVerb(verb, arg);
    case 'bool':
      return verb === 't' || verb === 'v' ? pad(arg ? 'true' : 'false', spec) : badVerb(verb, arg);
    case 'int': {
      const n = typeof arg === 'bigint' ? arg : BigInt(arg as number);
      if ('vdboOxX'.includes(verb)) return fmtInteger(n, verb, spec);
      if (verb === 'c') return pad(String.fromCodePoint(Number(n)), spec);
      if (verb === 'q') return pad(goQuoteRune(Number(n)), spec);
      if (verb === 'U') return pad('U+' + n.toString(16).toUpperCase().padStart(4, '0'), spec);
      return badVerb(verb, arg);
    }
    case 'float':
      return 'veEfFgG'.includes(verb) ? fmtFloatVerb(numberOf(arg), verb, spec) : badVerb(verb, arg);
    case 'string':
      return fmtString(arg as string, verb, spec);
    case 'slice':
      if (verb === 'v' && spec.sharp) return badVerb(verb, arg);
      return '[' + (arg as unknown[]).map((e) => formatArg(e, verb, spec)).join(' ') + ']';
    case 'map':
      return (
        'map[' +
        mapEntries(arg as Record<string, unknown>)
          .map(([k, e]) => `${formatArg(k, verb, spec)}:${formatArg(e, verb, spec)}`)
          .join(' ') +
        ']'
      );
    case 'struct': {
      const str = stringerOf(arg);
      if (str && 'vsqxX'.includes(verb)) return fmtString(str(), verb, spec);
      return '{' + structFields(arg as object).map(([, e]) => formatArg(e, verb, spec)).join(' ') + '}';
    }
    case 'func':
      return badVerb(verb, arg);
  }
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  let i = 0;
  const n = format.length;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { ...NO_FLAGS };
    for (; i < n; i++) {
      const c = format[i];
      if (c === '#') spec.sharp = true;
      else if (c === '0') spec.zero = !spec.minus;
      else if (c === '+') spec.plus = true;
      else if (c === '-') {
        spec.minus = true;
        spec.zero = false;
      } else if (c === ' ') spec.space = true;
      else break;
    }
    // [n] selects the operand (1-based) for what follows.
    const argIndex = (): boolean => {
      if (format[i] !== '[') return true;
      reordered = true;
      const close = format.indexOf(']', i);
      const idx = close < 0 ? NaN : Number(format.slice(i + 1, close));
      if (!Number.isInteger(idx) || idx < 1 || idx > args.length) {
        i = close < 0 ? n : close + 1;
        return false;
      }
      argNum = idx - 1;
      i = close + 1;
      return true;
    };
    let goodArgNum = argIndex();
    if (format[i] === '*') {
      i++;
      const w = args[argNum++];
      if (typeof w === 'number' && Number.isInteger(w)) {
        spec.width = Math.abs(w);
        if (w < 0) spec.minus = true;
      } else out += '%!(BADWIDTH)';
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) {
        spec.width = Number(m[0]);
        i += m[0].length;
      }
    }
    if (format[i] === '.') {
      i++;
      goodArgNum = goodArgNum && argIndex();
      if (format[i] === '*') {
        i++;
        const p = args[argNum++];
        if (typeof p === 'number' && Number.isInteger(p) && p >= 0) spec.prec = p;
        else out += '%!(BADPREC)';
      } else {
        const m = /^\d*/.exec(format.slice(i))!;
        spec.prec = m[0] === '' ? 0 : Number(m[0]);
        i += m[0].length;
      }
    }
    goodArgNum = goodArgNum && argIndex();
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') out += '%';
    else if (!goodArgNum) out += `%!${verb}(BADINDEX)`;
    else if (argNum >= args.length) out += `%!${verb}(MISSING)`;
    else out += formatArg(args[argNum++], verb, spec);
  }
  if (!reordered && argNum < args.length) {
    out +=
      '%!(EXTRA ' +
      args
        .slice(argNum)
        .map((a) => (a === null || a === undefined ? '<nil>' : `${goTypeName(a)}=${formatValue(a)}`))
        .join(', ') +
      ')';
  }
  return out;
}

/** fmt.Sprint: spaces only between operands when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatArg(a, 'v');
  });
  return out;
}

/** fmt.Sprintln: always a space between operands, and a final newline. */
export function sprintln(args: readonly unknown[]): string {
  return args.map((a) => formatArg(a, 'v')).join(' ') + '\n';
}
