// Go's float64 → text conversions (strconv.FormatFloat 'e', 'f', 'g'), digit for digit.
// Docker prints sizes with `%.3g` (go-units), so `1125` bytes must read `1.12kB` as Go's
// round-half-even on the exact binary value gives, not JS's round-half-up `1.13kB`.

/** A decimal digit string: value = 0.d1d2d3… × 10^dp. Digits carry no trailing zeros. */
interface Decimal {
  digits: string;
  dp: number;
}

/** The exact decimal expansion of a finite, non-negative double (every double has one). */
function exactDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', dp: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  let intDigits: string;
  let fracLen: number;
  if (exp >= 0) {
    intDigits = (mant << BigInt(exp)).toString();
    fracLen = 0;
  } else {
    // m × 2^-k = m × 5^k / 10^k
    intDigits = (mant * 5n ** BigInt(-exp)).toString();
    fracLen = -exp;
  }
  return trim({ digits: intDigits, dp: intDigits.length - fracLen });
}

function trim(d: Decimal): Decimal {
  let digits = d.digits.replace(/0+$/, '');
  let dp = d.dp;
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead);
  dp -= lead;
  if (digits === '') dp = 0;
  return { digits, dp };
}

/** Round to `nd` significant digits, half to even on exact ties (strconv decimal.Round). */
function roundTo(d: Decimal, nd: number): Decimal {
  if (nd < 0) return { digits: '', dp: 0 };
  if (nd >= d.digits.length) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  const exactHalf = next === 5 && nd + 1 === d.digits.length;
  const prevOdd = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  const up = exactHalf ? prevOdd : next >= 5;
  if (!up) return trim({ digits: d.digits.slice(0, nd), dp: d.dp });
  // Increment the kept prefix.
  const kept = d.digits.slice(0, nd).split('');
  let i = nd - 1;
  while (i >= 0 && kept[i] === '9') {
    kept[i] = '0';
    i--;
  }
  if (i < 0) return trim({ digits: '1' + kept.join(''), dp: d.dp + 1 });
  kept[i] = String.fromCharCode(kept[i].charCodeAt(0) + 1);
  return trim({ digits: kept.join(''), dp: d.dp });
}

/** The shortest digits that read back as x; JS and Go agree on these. */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', dp: 0 };
  const [mant, e] = x.toExponential().split('e');
  return trim({ digits: mant.replace('.', ''), dp: Number(e) + 1 });
}

function fmtE(neg: boolean, d: Decimal, prec: number, verb: 'e' | 'E'): string {
  let s = neg ? '-' : '';
  s += d.digits.length === 0 ? '0' : d.digits[0];
  if (prec > 0) {
    s += '.';
    const frac = d.digits.slice(1, 1 + prec);
    s += frac + '0'.repeat(prec - frac.length);
  }
  const exp = d.digits.length === 0 ? 0 : d.dp - 1;
  const abs = Math.abs(exp);
  return `${s}${verb}${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let s = neg ? '-' : '';
  if (d.dp > 0) {
    const intPart = d.digits.slice(0, d.dp);
    s += intPart + '0'.repeat(d.dp - intPart.length);
  } else s += '0';
  if (prec > 0) {
    s += '.';
    for (let i = 0; i < prec; i++) {
      const j = d.dp + i;
      s += j >= 0 && j < d.digits.length ? d.digits[j] : '0';
    }
  }
  return s;
}

/**
 * strconv.FormatFloat(x, fmt, prec, 64). `prec` -1 means the shortest representation.
 * Only 'e', 'E', 'f', 'g', 'G' are supported (all that fmt's %v/%e/%f/%g need).
 */
export function formatFloat(x: number, fmt: 'e' | 'E' | 'f' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  const shortest = prec < 0;
  let d: Decimal;
  if (shortest) {
    d = shortestDecimal(abs);
    if (fmt === 'e' || fmt === 'E') prec = Math.max(d.digits.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(d.digits.length - d.dp, 0);
    else prec = d.digits.length;
  } else {
    const exact = exactDecimal(abs);
    if (fmt === 'e' || fmt === 'E') d = roundTo(exact, 1 + prec);
    else if (fmt === 'f') d = roundTo(exact, exact.dp + prec);
    else {
      if (prec === 0) prec = 1;
      d = roundTo(exact, prec);
    }
  }
  if (fmt === 'e' || fmt === 'E') return fmtE(neg, d, prec, fmt);
  if (fmt === 'f') return fmtF(neg, d, prec);
  // %g: %e for large and small exponents, %f otherwise.
  let eprec = prec;
  if (eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
  if (shortest) eprec = 6;
  const exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > d.digits.length) prec = d.digits.length;
    return fmtE(neg, d, prec - 1, fmt === 'g' ? 'e' : 'E');
  }
  if (prec > d.dp) prec = d.digits.length;
  return fmtF(neg, d, Math.max(prec - d.dp, 0));
}
