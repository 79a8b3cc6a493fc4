// An image's root filesystem read without mounting it, for `COPY --from=<stage|image>`: its
// snapshots (overlay lowerdirs) merged in TypeScript the way overlayfs merges them. Unlike the
// runtime's LayeredView (which only resolves paths) this lists directories, so it must honour
// both overlay markers: whiteouts (0/0 char devices) hide a lower entry, and an opaque
// directory (xattr trusted.overlay.opaque=y, which Node cannot read) hides everything below it.
// The opaque markers of all layers are read once with one `getfattr -R` through the Host.
import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import type { Host } from '../../host/host.js';
import { MinidockError, errnoCode } from '../../errors.js';
import { OPAQUE_XATTR, parseDump } from '../../overlay/xattrs.js';
import { byCodeUnit } from './context-dir.js';
import { goMatch, hasMeta } from './go-match.js';

const MAX_LINKS = 40;

export interface TreeEntry {
  /** Path relative to the image root, symlink-free; '' is the root. */
  rel: string;
  /** The file to read: the entry in the topmost layer that has it. */
  abs: string;
  st: Stats;
  /** For a directory: the layers (top first) whose copy of it takes part in the merge. */
  layers: string[];
}

export class ImageTree {
  private opaque?: Set<string>;

  /** `dirs`: snapshot fs directories, top layer first. */
  constructor(
    private readonly host: Host,
    readonly dirs: readonly string[],
  ) {}

  /** Read the opaque-directory markers of every layer (once). */
  async load(): Promise<void> {
    if (this.opaque || this.dirs.length < 2) {
      this.opaque ??= new Set();
      return;
    }
    const r = await this.host.run(['getfattr', '-R', '-P', '-d', '-m', `^${OPAQUE_XATTR.replace(/\./g, '\\.')}$`, '-e', 'text', '--absolute-names', ...this.dirs], {
      allowFailure: true,
      why: 'finding opaque directories in the layers a COPY --from reads',
    });
    this.opaque = new Set();
    for (const [path, attrs] of parseDump(r.stdout)) {
      if (attrs.get(OPAQUE_XATTR)?.toString() === 'y') this.opaque.add(path);
    }
  }

  /** The root directory. */
  root(): TreeEntry {
    const top = this.dirs[0];
    return { rel: '', abs: top, st: lstatSync(top), layers: [...this.dirs] };
  }

  /** The entry at an absolute image path, symlinks followed inside the image; undefined when missing. */
  resolve(path: string, followFinal = true): TreeEntry | undefined {
    if (this.dirs.length === 0) return undefined; // a stage with no layers (scratch) has nothing
    let links = 0;
    let cur = this.root();
    const todo = path.split('/');
    const done: TreeEntry[] = [];
    while (todo.length > 0) {
      const name = todo.shift()!;
      if (name === '' || name === '.') continue;
      if (name === '..') {
        done.pop();
        cur = done[done.length - 1] ?? this.root();
        continue;
      }
      if (!cur.st.isDirectory()) throw new MinidockError(`${path}: not a directory: /${cur.rel}`, { kind: 'invalid' });
      const child = this.child(cur, name);
      if (!child) return undefined;
      if (child.st.isSymbolicLink() && (todo.length > 0 || followFinal)) {
        if (++links > MAX_LINKS) throw new MinidockError(`${path}: too many levels of symbolic links`, { kind: 'invalid' });
        const target = readlinkSync(child.abs);
        if (target.startsWith('/')) {
          done.length = 0;
          cur = this.root();
        }
        todo.unshift(...target.split('/'));
        continue;
      }
      done.push(child);
      cur = child;
    }
    return cur;
  }

  /** Merged children of a directory entry, sorted by name, whiteouts removed. */
  list(dir: TreeEntry): TreeEntry[] {
    const names = new Set<string>();
    for (const layer of dir.layers) {
      for (const n of readdirOrEmpty(join(layer, dir.rel))) names.add(n);
    }
    const out: TreeEntry[] = [];
    for (const name of [...names].sort(byCodeUnit)) {
      const c = this.child(dir, name);
      if (c) out.push(c);
    }
    return out;
  }

  /** Every entry below a directory, parents first. */
  walk(dir: TreeEntry): TreeEntry[] {
    const out: TreeEntry[] = [];
    const visit = (d: TreeEntry) => {
      for (const c of this.list(d)) {
        out.push(c);
        if (c.st.isDirectory()) visit(c);
      }
    };
    visit(dir);
    return out;
  }

  /** filepath.Glob inside the image: absolute paths of the entries a wildcard names. */
  glob(pattern: string): string[] {
    let found = [''];
    for (const part of pattern.split('/').filter((p) => p !== '' && p !== '.')) {
      const next: string[] = [];
      for (const dir of found) {
        if (!hasMeta(part)) {
          next.push(`${dir}/${part}`);
          continue;
        }
        const d = this.resolve(dir || '/');
        if (!d || !d.st.isDirectory()) continue;
        for (const c of this.list(d)) if (goMatch(part, c.rel.slice(c.rel.lastIndexOf('/') + 1))) next.push(`${dir}/${c.rel.slice(c.rel.lastIndexOf('/') + 1)}`);
      }
      found = next;
    }
    return found;
  }

  /** overlayfs's lookup of `name` in a merged directory. */
  private child(parent: TreeEntry, name: string): TreeEntry | undefined {
    const rel = parent.rel === '' ? name : `${parent.rel}/${name}`;
    let found: TreeEntry | undefined;
    for (const layer of parent.layers) {
      let st: Stats;
      try {
        st = lstatSync(join(layer, rel));
      } catch (err) {
        if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') continue;
        throw err;
      }
      if (!found) {
        if (isWhiteout(st)) return undefined;
        found = { rel, abs: join(layer, rel), st, layers: [] };
        if (!st.isDirectory()) return found;
      } else if (!st.isDirectory()) {
        break; // below a directory only directories merge
      }
      found.layers.push(layer);
      if (this.opaque?.has(join(layer, rel))) break;
    }
    return found;
  }
}

function join(layer: string, rel: string): string {
  return rel === '' ? layer : `${layer}/${rel}`;
}

function isWhiteout(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

function readdirOrEmpty(p: string): string[] {
  try {
    return readdirSync(p);
  } catch {
    return [];
  }
}
