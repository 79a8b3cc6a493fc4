// Overlay layers merged in TypeScript, the way overlayfs merges them: the top-most entry of
// a name wins, a whiteout (char device 0/0) hides the name below it, and a directory merges
// with the same directory in lower layers until a layer where it is not a directory, or a
// directory marked opaque (trusted.overlay.opaque=y). Nothing is followed: every path is a
// layer dir plus components lstat'ed as directories in that layer.
// https://docs.kernel.org/filesystems/overlayfs.html
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { MinidockError } from '../../errors.js';
import type { Host } from '../../host/host.js';
import { OPAQUE_XATTR, parseDump } from '../../overlay/xattrs.js';
import { joinRel, lstatQuiet } from './tree.js';

export const isWhiteout = (s: Stats) => s.isCharacterDevice() && s.rdev === 0;

/** Directories (absolute paths) marked opaque below `roots`, read with one `getfattr`. */
export async function readOpaqueDirs(host: Host, roots: readonly string[]): Promise<Set<string>> {
  const existing = roots.filter((r) => lstatQuiet(r)?.isDirectory());
  if (existing.length === 0) return new Set();
  const r = await host.run(['getfattr', '-R', '-P', '-h', '--absolute-names', '-d', '-m', `^${OPAQUE_XATTR.replace(/\./g, '\\.')}$`, '-e', 'text', '--', ...existing], {
    why: 'finding the opaque directories of overlay layers',
    allowFailure: true,
  });
  if (r.code !== 0 && r.stdout === '' && r.stderr.trim() !== '') {
    throw new MinidockError(`reading overlay opaque markers: ${r.stderr.trim()}`, { kind: 'host' });
  }
  const out = new Set<string>();
  for (const [path, attrs] of parseDump(r.stdout)) if (attrs.get(OPAQUE_XATTR)?.toString() === 'y') out.add(path);
  return out;
}

export class LayerStack {
  private readonly cache = new Map<string, string[]>();

  /** `layers`: top first; missing ones are ignored. `opaque`: absolute paths of opaque dirs. */
  constructor(
    readonly layers: readonly string[],
    private readonly opaque: ReadonlySet<string>,
    private readonly extraOpaque: ReadonlySet<string> = new Set(),
  ) {}

  isOpaque(abs: string): boolean {
    return this.opaque.has(abs) || this.extraOpaque.has(abs);
  }

  /** Forget cached merges (after a write to one of the layers). */
  invalidate(): void {
    this.cache.clear();
  }

  /** The layers whose directory `rel` is part of the merge, top first ([] when not a directory). */
  dirLayers(rel: string): string[] {
    const cached = this.cache.get(rel);
    if (cached) return cached;
    let out: string[];
    if (rel === '') {
      const existing = this.layers.filter((l) => lstatQuiet(l)?.isDirectory());
      const cut = existing.findIndex((l) => this.isOpaque(l)); // an upper dir after `rm -rf /*`
      out = cut >= 0 ? existing.slice(0, cut + 1) : existing;
    } else {
      const slash = rel.lastIndexOf('/');
      out = [];
      for (const layer of this.dirLayers(slash < 0 ? '' : rel.slice(0, slash))) {
        const abs = `${layer}/${rel}`;
        const st = lstatQuiet(abs);
        if (!st) continue;
        // A file or whiteout on top: not a directory; below a directory: the merge ends.
        if (!st.isDirectory()) break;
        out.push(layer);
        if (this.isOpaque(abs)) break;
      }
    }
    this.cache.set(rel, out);
    return out;
  }

  /** The entry the merge shows at `rel`: its stat and the host path that holds it. */
  node(rel: string): { st: Stats; abs: string } | undefined {
    if (rel === '') {
      const top = this.dirLayers('')[0];
      return top ? { st: lstatSync(top), abs: top } : undefined;
    }
    const slash = rel.lastIndexOf('/');
    for (const layer of this.dirLayers(slash < 0 ? '' : rel.slice(0, slash))) {
      const abs = `${layer}/${rel}`;
      const st = lstatQuiet(abs);
      if (!st) continue;
      return isWhiteout(st) ? undefined : { st, abs };
    }
    return undefined;
  }

  /** The names the merged directory `rel` shows (unsorted). */
  names(rel: string): string[] {
    const names = new Set<string>();
    for (const layer of this.dirLayers(rel)) for (const n of readdirSync(`${layer}/${rel}`)) names.add(n);
    return [...names].filter((n) => this.node(joinRel(rel, n)) !== undefined);
  }
}
