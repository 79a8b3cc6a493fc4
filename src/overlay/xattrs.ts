// Extended attributes between tar PAX records and the filesystem. Node has no xattr API,
// so they go through `setfattr --restore` and `getfattr --dump` (package `attr`), one
// process per layer, in the dump format those tools share:
//   # file: <path, with \ooo escapes>
//   <name>=0s<base64>
// Pure renderers and parsers live here; the calls go through the Host in unpack/diff.
//
// Which attributes travel in a layer (the same policy both ways):
// - trusted.overlay.* never: they are overlayfs's own bookkeeping (opaque, redirect,
//   origin, metacopy). A layer carrying them could steer the overlay mount of every
//   container built on it; the opaque marker travels as `.wh..wh..opq` instead.
// - security.selinux, security.ima, security.evm and other security.* labels never: they
//   describe the host that wrote them and are set by the host that runs the container.
// - security.capability yes: file capabilities are how images ship `ping` without
//   setuid, and Docker keeps them. It must be set after chown, which clears it.
// - user.*, trusted.* (other than overlay), system.posix_acl_* yes.

export type XattrPolicy = 'keep' | 'overlay-internal' | 'host-label';

export function xattrPolicy(name: string): XattrPolicy {
  if (name.startsWith('trusted.overlay.')) return 'overlay-internal';
  if (name === 'security.capability') return 'keep';
  if (name.startsWith('security.')) return 'host-label';
  return 'keep';
}

export const OPAQUE_XATTR = 'trusted.overlay.opaque';

export interface XattrAssignment {
  /** Relative to the directory the tool runs in. */
  path: string;
  name: string;
  value: Buffer;
}

/** Input for `setfattr -h --restore=-`: one block per file. */
export function renderRestore(items: readonly XattrAssignment[]): string {
  const out: string[] = [];
  let last: string | undefined;
  for (const it of items) {
    if (it.path !== last) {
      if (last !== undefined) out.push('');
      out.push(`# file: ${quoteDumpText(it.path)}`);
      last = it.path;
    }
    out.push(`${quoteDumpText(it.name, '=')}=0s${it.value.toString('base64')}`);
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/**
 * Parses `getfattr --dump -e base64` output into path → (name → value). Paths are as
 * getfattr printed them (relative to its cwd when given `.`), with the leading `./` removed.
 */
export function parseDump(text: string): Map<string, Map<string, Buffer>> {
  const out = new Map<string, Map<string, Buffer>>();
  let current: Map<string, Buffer> | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('# file: ')) {
      let path = unquoteDumpText(line.slice('# file: '.length));
      if (path === '.') path = '';
      else if (path.startsWith('./')) path = path.slice(2);
      current = new Map();
      out.set(path, current);
      continue;
    }
    if (line === '' || line.startsWith('#') || !current) continue;
    const eq = line.indexOf('=');
    const name = unquoteDumpText(eq === -1 ? line : line.slice(0, eq));
    current.set(name, eq === -1 ? Buffer.alloc(0) : decodeDumpValue(line.slice(eq + 1)));
  }
  return out;
}

/** A value as getfattr prints it: 0s<base64>, 0x<hex>, or "text". */
export function decodeDumpValue(v: string): Buffer {
  if (v.startsWith('0s')) return Buffer.from(v.slice(2), 'base64');
  if (v.startsWith('0x')) return Buffer.from(v.slice(2), 'hex');
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) return Buffer.from(unquoteDumpText(v.slice(1, -1)), 'latin1');
  return Buffer.from(v, 'utf8');
}

/**
 * The attr tools' quoting (attr's misc.c `quote`): backslash, newline, carriage return
 * and the extra characters given become `\ooo` octal escapes of their bytes. We escape
 * every byte below 0x20 too, which their `unquote` reads back the same.
 */
export function quoteDumpText(s: string, extra = ''): string {
  if (!/[\x00-\x1f\\]/.test(s) && !(extra && [...extra].some((c) => s.includes(c)))) return s;
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  let plainStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c < 0x20 || c === 0x5c || (c < 0x80 && extra.includes(String.fromCharCode(c)))) {
      out += bytes.toString('utf8', plainStart, i) + '\\' + c.toString(8).padStart(3, '0');
      plainStart = i + 1;
    }
  }
  return out + bytes.toString('utf8', plainStart);
}

/** Reverses `\ooo` escapes (on bytes, so escaped UTF-8 sequences come back whole). */
export function unquoteDumpText(s: string): string {
  if (!s.includes('\\')) return s;
  const src = Buffer.from(s, 'utf8');
  const out: number[] = [];
  for (let i = 0; i < src.length; i++) {
    if (src[i] === 0x5c && i + 3 < src.length && isOctal(src[i + 1]) && isOctal(src[i + 2]) && isOctal(src[i + 3])) {
      out.push((src[i + 1] - 0x30) * 64 + (src[i + 2] - 0x30) * 8 + (src[i + 3] - 0x30));
      i += 3;
    } else {
      out.push(src[i]);
    }
  }
  return Buffer.from(out).toString('utf8');
}

function isOctal(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x37;
}
