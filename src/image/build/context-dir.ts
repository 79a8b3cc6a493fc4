// The build context as COPY/ADD see it: a directory read in place, filtered by .dockerignore.
// Source paths are relative to the context root (an absolute `/x` is `<context>/x`); a path
// that climbs out with `..`, or a symlink on the way that points outside the context, is
// refused rather than silently clamped. Symlinks *inside* a copied directory are copied as
// symlinks, never followed. Excluded entries are invisible, except that a directory excluded
// by a pattern but holding an exception (`!dir/keep`) is visible with just those children.
import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { MinidockError, errnoCode, invalid } from '../../errors.js';
import { cleanPath } from '../../overlay/securejoin.js';
import { goMatch, hasMeta } from './go-match.js';
import type { PatternMatcher } from './pattern-matcher.js';

const MAX_LINKS = 40;

export interface ContextEntry {
  /** Relative to the context root, '/'-separated; '' is the root. */
  rel: string;
  abs: string;
  st: Stats;
}

/** A COPY source match: the entry (symlinks followed) and the name it was matched by. */
export interface ContextMatch extends ContextEntry {
  name: string;
}

export function outsideContext(src: string): MinidockError {
  return new MinidockError(`forbidden path outside the build context: ${src}`, {
    kind: 'invalid',
    hint: 'COPY and ADD read only files inside the build context; move the file into it or widen the context',
  });
}

export function sourceNotFound(src: string, excluded: boolean): MinidockError {
  return new MinidockError(`"/${src.replace(/^\/+/, '')}": not found`, {
    kind: 'not-found',
    hint: excluded ? 'the path is excluded by .dockerignore' : undefined,
  });
}

export class ContextDir {
  readonly root: string;

  constructor(root: string, readonly matcher?: PatternMatcher) {
    this.root = resolve(root);
  }

  /** Excluded by .dockerignore (the path or a parent matches, and no later exception). */
  excluded(rel: string): boolean {
    return rel !== '' && this.matcher !== undefined && this.matcher.matchesOrParentMatches(rel);
  }

  /**
   * The entries a COPY source names: one for a plain path, every visible match for a
   * wildcard. Symlinks on the way (the last component included) are followed inside the
   * context. Throws "not found" when a plain path is missing; a wildcard may match nothing
   * (BuildKit's AllowEmptyWildcard).
   */
  resolveSource(src: string): ContextMatch[] {
    const rel = contextRelative(src);
    const wildcard = hasMeta(rel);
    const candidates = wildcard ? this.glob(rel) : [rel];
    const out: ContextMatch[] = [];
    let sawExcluded = false;
    for (const c of candidates) {
      const resolved = this.followLinks(c, src);
      const st = lstatOrUndefined(this.abs(resolved));
      if (!st) continue;
      if (!this.visible(c, st) || !this.visible(resolved, st)) {
        sawExcluded = true;
        continue;
      }
      out.push({ rel: resolved, abs: this.abs(resolved), st, name: c.slice(c.lastIndexOf('/') + 1) });
    }
    if (out.length === 0 && !wildcard) throw sourceNotFound(rel, sawExcluded);
    return out;
  }

  /** Visible entries below a directory entry, parents before children, names sorted. */
  walk(dir: ContextEntry): ContextEntry[] {
    const out: ContextEntry[] = [];
    this.walkInto(dir.rel, out);
    return out;
  }

  /** Whether anything is visible at `rel` (for a directory: itself, or some descendant). */
  visible(rel: string, st: Stats): boolean {
    if (!this.excluded(rel)) return true;
    if (!st.isDirectory() || !this.matcher?.exclusions) return false;
    const below: ContextEntry[] = [];
    this.walkInto(rel, below);
    return below.length > 0;
  }

  private walkInto(rel: string, out: ContextEntry[]): void {
    for (const name of readdirSync(this.abs(rel)).sort(byCodeUnit)) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const abs = this.abs(childRel);
      const st = lstatSync(abs);
      if (!st.isFile() && !st.isDirectory() && !st.isSymbolicLink()) continue; // sockets, fifos, devices
      if (!this.excluded(childRel)) {
        out.push({ rel: childRel, abs, st });
        if (st.isDirectory()) this.walkInto(childRel, out);
        continue;
      }
      // An excluded directory is only entered when an exception could re-include something.
      if (!st.isDirectory() || !this.matcher?.exclusions) continue;
      const at = out.length;
      this.walkInto(childRel, out);
      if (out.length > at) out.splice(at, 0, { rel: childRel, abs, st });
    }
  }

  private abs(rel: string): string {
    return rel === '' ? this.root : `${this.root}/${rel}`;
  }

  /** filepath.Glob over the context: literal components are taken as they are, the others
   *  are matched against the (visible) names of the directory so far. */
  private glob(rel: string): string[] {
    let found = [''];
    for (const part of rel.split('/')) {
      const next: string[] = [];
      for (const dir of found) {
        if (!hasMeta(part)) {
          next.push(dir === '' ? part : `${dir}/${part}`);
          continue;
        }
        const real = this.followLinks(dir, rel);
        let names: string[];
        try {
          names = readdirSync(this.abs(real));
        } catch {
          continue;
        }
        for (const name of names.sort(byCodeUnit)) {
          if (goMatch(part, name)) next.push(dir === '' ? name : `${dir}/${name}`);
        }
      }
      found = next;
    }
    return found;
  }

  /** `rel` with every symlink resolved inside the context; refuses one that leads out. */
  private followLinks(rel: string, src: string): string {
    const todo = rel === '' ? [] : rel.split('/');
    const done: string[] = [];
    let links = 0;
    while (todo.length > 0) {
      const part = todo.shift()!;
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (done.length === 0) throw outsideContext(src);
        done.pop();
        continue;
      }
      const st = lstatOrUndefined(this.abs([...done, part].join('/')));
      if (!st) return [...done, part, ...todo].join('/'); // missing: the rest is lexical
      if (!st.isSymbolicLink()) {
        done.push(part);
        continue;
      }
      if (++links > MAX_LINKS) throw invalid(`${src}: too many levels of symbolic links`);
      const target = readlinkSync(this.abs([...done, part].join('/')));
      if (target.startsWith('/')) {
        // A host-absolute target is fine only when it points back into the context.
        const inside = target === this.root || target.startsWith(`${this.root}/`);
        if (!inside) throw outsideContext(`${src} (a symlink to ${target})`);
        done.length = 0;
        todo.unshift(...target.slice(this.root.length).split('/'));
      } else {
        todo.unshift(...target.split('/'));
      }
    }
    return done.join('/');
  }
}

/** A COPY source as a path relative to the context root; `..` out of it is an error. */
export function contextRelative(src: string): string {
  const cleaned = cleanPath(src);
  if (cleaned === '..' || cleaned.startsWith('../')) throw outsideContext(src);
  const rel = cleaned.replace(/^\/+/, '');
  return rel === '.' ? '' : rel;
}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return undefined;
    throw err;
  }
}

export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
