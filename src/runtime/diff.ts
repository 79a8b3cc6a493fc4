// `diff`: what a container changed, read from its overlay upper dir and compared with what
// lies below it (its init layer and the image's layers, merged) — the init layer holds
// the engine's mount points (/etc/hosts, /etc/hostname, /etc/resolv.conf, volume targets),
// so they never show, as docker's init layer keeps them out of its diff.
//
// Classification (moby pkg/archive changes.go, overlay flavour, made complete):
//   whiteout (char 0/0) NAME            -> D NAME
//   entry that is not below             -> A (and everything under a new directory is A)
//   entry that is below                 -> C; a directory whose size, mode and mtime are
//                                          those of the one below is a mere copy-up: skipped
//   opaque directory (rm -rf + mkdir)   -> C, and D for each child it hid
//   a directory containing a change     -> C, printed before it (every such ancestor,
//                                          as docker's full differ does)
// Order: a depth-first walk, names sorted by byte — the order docker prints.
import { readdirSync, type Stats } from 'node:fs';
import type { Engine } from './../engine.js';
import { Snapshots } from '../image/store/snapshots.js';
import type { Container } from './model.js';
import { containerPaths } from './prepare.js';
import { LayerStack, readOpaqueDirs } from './files/layer-stack.js';
import { joinRel, lstatQuiet, sortNames } from './files/tree.js';

export type ChangeKind = 'C' | 'A' | 'D';

export interface Change {
  kind: ChangeKind;
  /** Absolute in the container. */
  path: string;
}

/** What an entry is, as far as the diff cares. */
export interface EntryInfo {
  type: 'dir' | 'whiteout' | 'other';
  size: number;
  mode: number;
  mtimeMs: number;
}

/** The diff's view of a container: its upper dir, and what is below. Paths are relative. */
export interface DiffSource {
  /** The upper dir's entries in directory `rel`. */
  upper(rel: string): { name: string; info: EntryInfo }[];
  upperOpaque(rel: string): boolean;
  /** The merged layers below the upper dir: the entry at `rel`, or undefined. */
  lower(rel: string): EntryInfo | undefined;
  /** The names of the merged lower directory `rel`. */
  lowerNames(rel: string): string[];
}

export function entryInfo(st: Stats): EntryInfo {
  const type = st.isDirectory() ? 'dir' : st.isCharacterDevice() && st.rdev === 0 ? 'whiteout' : 'other';
  return { type, size: st.size, mode: st.mode, mtimeMs: st.mtimeMs };
}

/** sameFsTime: equal, or the same second with one side lacking sub-second precision (tar). */
function sameTime(a: number, b: number): boolean {
  if (a === b) return true;
  return Math.floor(a / 1000) === Math.floor(b / 1000) && (a % 1000 === 0 || b % 1000 === 0);
}

function unchangedDir(up: EntryInfo, low: EntryInfo): boolean {
  return up.type === 'dir' && low.type === 'dir' && up.size === low.size && up.mode === low.mode && sameTime(up.mtimeMs, low.mtimeMs);
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The changes, in docker's order. `ignore` leaves out an upper entry (the engine's own). */
export function computeChanges(src: DiffSource, ignore: (rel: string, info: EntryInfo, isNew: boolean) => boolean = () => false): Change[] {
  const out: Change[] = [];
  // Directories on the current path not printed yet: printed (C) before the first change below.
  const pending: { rel: string; printed: boolean }[] = [];
  const record = (kind: ChangeKind, rel: string) => {
    for (const p of pending) {
      if (!p.printed) out.push({ kind: 'C', path: `/${p.rel}` });
      p.printed = true;
    }
    out.push({ kind, path: `/${rel}` });
  };
  const walk = (dir: string, hidesBelow: boolean) => {
    const entries = new Map(src.upper(dir).map((e) => [e.name, e.info] as const));
    const names = [...entries.keys()];
    if (hidesBelow) for (const n of src.lowerNames(dir)) if (!entries.has(n)) names.push(n);
    for (const name of names.sort(byName)) {
      const rel = joinRel(dir, name);
      const info = entries.get(name);
      if (!info) {
        record('D', rel); // hidden by the opaque directory `dir`
        continue;
      }
      if (info.type === 'whiteout') {
        record('D', rel);
        continue;
      }
      const low = src.lower(rel);
      if (ignore(rel, info, !low)) continue;
      const opaque = info.type === 'dir' && src.upperOpaque(rel);
      const printed = !(low && !opaque && unchangedDir(info, low));
      if (printed) record(low ? 'C' : 'A', rel);
      if (info.type !== 'dir') continue;
      pending.push({ rel, printed });
      walk(rel, opaque && low?.type === 'dir');
      pending.pop();
    }
  };
  walk('', false);
  return out;
}

/** The engine makes these mount points itself when an image lacks them (mount X-mount.mkdir). */
const ENGINE_MOUNT_POINTS = new Set(['proc', 'sys', 'dev']);

function isEmptyDir(abs: string): boolean {
  try {
    return readdirSync(abs).length === 0;
  } catch {
    return false;
  }
}

/** `diff CONTAINER`: the container's changes to its image. */
export async function containerChanges(engine: Engine, c: Container): Promise<Change[]> {
  const p = containerPaths(engine, c.Id);
  if (!lstatQuiet(p.upper)?.isDirectory()) return []; // created, never started
  const snaps = new Snapshots(engine);
  const lowerLayers = [p.init, ...[...c.Layers].reverse().map((l) => snaps.fsDir(l))];
  const opaque = await readOpaqueDirs(engine.host, [p.upper, ...lowerLayers]);
  const lower = new LayerStack(lowerLayers, opaque);
  const src: DiffSource = {
    upper(rel) {
      const abs = rel ? `${p.upper}/${rel}` : p.upper;
      const out: { name: string; info: EntryInfo }[] = [];
      for (const name of sortNames(readdirSync(abs))) {
        const st = lstatQuiet(`${abs}/${name}`);
        if (st) out.push({ name, info: entryInfo(st) });
      }
      return out;
    },
    upperOpaque: (rel) => opaque.has(rel ? `${p.upper}/${rel}` : p.upper),
    lower(rel) {
      const n = lower.node(rel);
      return n ? entryInfo(n.st) : undefined;
    },
    lowerNames: (rel) => lower.names(rel),
  };
  return computeChanges(src, (rel, info, isNew) => isNew && info.type === 'dir' && ENGINE_MOUNT_POINTS.has(rel) && isEmptyDir(`${p.upper}/${rel}`));
}
