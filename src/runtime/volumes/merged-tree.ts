// Reading a directory of a container's root the way overlayfs shows it, from the layer
// directories themselves (the container's upper dir, then the image's snapshots, top
// first): the top-most entry of a name wins, a whiteout (char device 0/0) hides the name
// below it, directories merge with the same directory in lower layers until a layer where
// it is not a directory, and an opaque directory (xattr trusted.overlay.opaque=y) hides
// everything below it. https://docs.kernel.org/filesystems/overlayfs.html
// Nothing is followed: every path is a layer dir plus components that were lstat'ed as
// directories in that same layer.
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { errnoCode } from '../../errors.js';

export const isWhiteout = (s: Stats) => s.isCharacterDevice() && s.rdev === 0;

/** Whether `abs` (a directory inside a layer) is opaque. */
export type OpaqueTest = (abs: string) => boolean;

export interface MergedEntry {
  name: string;
  /** The entry that is seen: in the top-most layer that has the name. */
  abs: string;
  st: Stats;
  /** For a directory: the layers (top first) whose directory of this name is merged. */
  layers: string[];
}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** The layers of the merged directory `name` inside a directory merged from `layers`. */
function childLayers(layers: readonly string[], rel: string, opaque: OpaqueTest): { top?: { abs: string; st: Stats }; layers: string[] } {
  const out: string[] = [];
  let top: { abs: string; st: Stats } | undefined;
  for (const layer of layers) {
    const abs = join(layer, rel);
    const st = lstatOrUndefined(abs);
    if (!st) continue;
    if (!top) {
      if (isWhiteout(st)) return { layers: [] };
      top = { abs, st };
      if (!st.isDirectory()) return { top, layers: [] };
    } else if (!st.isDirectory()) {
      break; // a file or whiteout below a directory ends the merge
    }
    out.push(layer);
    if (opaque(abs)) break;
  }
  return { top, layers: out };
}

/** The layers whose directory `rel` (symlink-free, '' for the root) is part of the merge. */
export function layersAt(layers: readonly string[], rel: string, opaque: OpaqueTest): string[] {
  let cur = [...layers];
  // The root directories themselves can be opaque too (an upper dir after `rm -rf /*`).
  const cut = cur.findIndex((l) => opaque(l));
  if (cut >= 0) cur = cur.slice(0, cut + 1);
  let path = '';
  for (const part of rel.split('/').filter(Boolean)) {
    path = path ? `${path}/${part}` : part;
    const c = childLayers(cur, path, opaque);
    if (!c.top?.st.isDirectory()) return [];
    cur = c.layers;
  }
  return cur;
}

/** The entries of the merged directory `rel`, sorted by name. */
export function mergedEntries(layers: readonly string[], rel: string, opaque: OpaqueTest): MergedEntry[] {
  const names = new Set<string>();
  for (const layer of layers) {
    try {
      for (const n of readdirSync(join(layer, rel))) names.add(n);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT' && errnoCode(err) !== 'ENOTDIR') throw err;
    }
  }
  const out: MergedEntry[] = [];
  for (const name of [...names].sort()) {
    const c = childLayers(layers, rel ? `${rel}/${name}` : name, opaque);
    if (c.top) out.push({ name, abs: c.top.abs, st: c.top.st, layers: c.layers });
  }
  return out;
}
