// A read-only view of a container's root filesystem before it is mounted: the overlay's
// layers (upper dir first, then the image's snapshots) merged in TypeScript the way overlayfs
// merges them. The engine uses it to read the image's /etc/passwd and to resolve mount
// targets (`-v x:/var/run/y` with /var/run -> /run) inside the container's root before any
// container process exists — so the resolved, symlink-free paths cannot change under us.
//
// Not modelled: opaque directories (an xattr that Node cannot read). Ignoring them can only
// make the view think a path exists when overlayfs hides it, which is harmless here: a
// missing directory is created, and a symlink that overlayfs would show is always seen
// first, because layers are searched top-down.
import { lstatSync, readFileSync, readlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { MinidockError } from '../errors.js';

const MAX_LINKS = 40;

export interface Resolved {
  /** Path relative to the root with every symlink resolved ('' is the root itself). */
  rel: string;
  /** The final component in the merged view, or undefined when it does not exist. */
  stat?: Stats;
  /** Layers (top first) whose directory at `rel` is part of the merge, when it is a directory. */
  layers: string[];
}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

const isWhiteout = (s: Stats) => s.isCharacterDevice() && s.rdev === 0;

export class LayeredView {
  /** `dirs`: top first (the container's upper dir, then the image's layers from the top). */
  constructor(readonly dirs: readonly string[]) {}

  /** The merged entry `name` inside a directory merged from `layers`. */
  private child(layers: readonly string[], parentRel: string, name: string): { stat?: Stats; foundIn?: string; layers: string[] } {
    const rel = parentRel ? `${parentRel}/${name}` : name;
    let found: Stats | undefined;
    let foundIn: string | undefined;
    const dirLayers: string[] = [];
    for (const layer of layers) {
      const s = lstatOrUndefined(join(layer, rel));
      if (!s) continue;
      if (found === undefined) {
        if (isWhiteout(s)) return { layers: [] };
        found = s;
        foundIn = layer;
        if (!s.isDirectory()) return { stat: s, foundIn, layers: [] };
        dirLayers.push(layer);
        continue;
      }
      // Below a directory, only directories merge; anything else ends the merge.
      if (!s.isDirectory()) break;
      dirLayers.push(layer);
    }
    return { stat: found, foundIn, layers: dirLayers };
  }

  /**
   * Resolve `path` (absolute, in the container) to a symlink-free relative path. Symlinks are
   * followed as the container would follow them, clamped at its root; `followFinal` decides
   * whether a symlink in the last component is followed too.
   */
  resolve(path: string, followFinal = true): Resolved {
    let links = 0;
    const walk = (parts: string[]): Resolved => {
      let cur: Resolved = { rel: '', stat: undefined, layers: [...this.dirs] };
      const stack = [...parts];
      const resolvedParts: string[] = [];
      while (stack.length) {
        const name = stack.shift()!;
        if (name === '' || name === '.') continue;
        if (name === '..') {
          resolvedParts.pop();
          cur = walk(resolvedParts.slice());
          continue;
        }
        if (cur.rel !== '' && cur.stat && !cur.stat.isDirectory()) {
          throw new MinidockError(`${path}: not a directory in the container's filesystem: /${cur.rel}`, { kind: 'invalid' });
        }
        if (cur.rel !== '' && !cur.stat) {
          // Below a missing directory everything is missing: the path is lexical from here.
          resolvedParts.push(name);
          cur = { rel: resolvedParts.join('/'), stat: undefined, layers: [] };
          continue;
        }
        const c = this.child(cur.layers, cur.rel, name);
        const isLast = stack.length === 0;
        if (c.stat?.isSymbolicLink() && (!isLast || followFinal)) {
          if (++links > MAX_LINKS) throw new MinidockError(`${path}: too many levels of symbolic links`, { kind: 'invalid' });
          const target = readlinkSync(join(c.foundIn!, cur.rel ? `${cur.rel}/${name}` : name));
          const rest = target.split('/');
          if (target.startsWith('/')) {
            resolvedParts.length = 0;
            stack.unshift(...rest);
            cur = { rel: '', stat: undefined, layers: [...this.dirs] };
          } else {
            stack.unshift(...rest);
          }
          continue;
        }
        resolvedParts.push(name);
        cur = { rel: resolvedParts.join('/'), stat: c.stat, layers: c.layers };
      }
      if (cur.rel === '') return { rel: '', stat: lstatOrUndefined(this.dirs[this.dirs.length - 1]), layers: [...this.dirs] };
      return cur;
    };
    return walk(path.split('/'));
  }

  /** A file's content as the container would read it, or undefined when it does not exist. */
  readFile(path: string): Buffer | undefined {
    const r = this.resolve(path);
    if (!r.stat || !r.stat.isFile()) return undefined;
    for (const layer of this.dirs) {
      const s = lstatOrUndefined(join(layer, r.rel));
      if (s?.isFile()) return readFileSync(join(layer, r.rel));
      if (s) return undefined;
    }
    return undefined;
  }
}
