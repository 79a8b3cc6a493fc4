// COPY/ADD sources as lists of entries to copy (copy-plan.ts's input), whatever they come
// from: the build context (owner reset to 0:0, as the docker CLI sends it), another stage or
// image (owners kept), a file the builder made (heredoc, download: 0:0), or a directory an
// archive was extracted into (the archive's owners). `--exclude` patterns drop entries by their
// path below the source.
import { lstatSync, readlinkSync, readdirSync, type Stats } from 'node:fs';
import type { ContextDir, ContextMatch } from './context-dir.js';
import { byCodeUnit } from './context-dir.js';
import type { CopySource, EntryKind, SourceEntry } from './copy-plan.js';
import type { ImageTree, TreeEntry } from './image-tree.js';
import type { PatternMatcher } from './pattern-matcher.js';

function kindOf(st: Stats): EntryKind | undefined {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  return undefined; // devices, fifos, sockets are not copied
}

function entryOf(rel: string, abs: string, st: Stats, owner?: { uid: number; gid: number }): SourceEntry | undefined {
  const kind = kindOf(st);
  if (!kind) return undefined;
  return {
    rel,
    kind,
    mode: st.mode & 0o7777,
    uid: owner ? owner.uid : st.uid,
    gid: owner ? owner.gid : st.gid,
    size: kind === 'file' ? st.size : 0,
    mtime: Math.floor(st.mtimeMs / 1000),
    linkname: kind === 'symlink' ? readlinkSync(abs) : undefined,
    path: kind === 'file' ? abs : undefined,
  };
}

const ROOT_OWNER = { uid: 0, gid: 0 };

function below(rootRel: string, rel: string): string {
  return rootRel === '' ? rel : rel.slice(rootRel.length + 1);
}

function excluded(exclude: PatternMatcher | undefined, rel: string): boolean {
  return exclude !== undefined && rel !== '' && exclude.matchesOrParentMatches(rel);
}

export function contextSource(ctx: ContextDir, m: ContextMatch, exclude?: PatternMatcher): CopySource {
  const entries: SourceEntry[] = [entryOf('', m.abs, m.st, ROOT_OWNER)!];
  if (m.st.isDirectory()) {
    for (const e of ctx.walk(m)) {
      const rel = below(m.rel, e.rel);
      if (excluded(exclude, rel)) continue;
      const se = entryOf(rel, e.abs, e.st, ROOT_OWNER);
      if (se) entries.push(se);
    }
  }
  return { name: m.name, entries };
}

export function treeSource(tree: ImageTree, root: TreeEntry, name: string, exclude?: PatternMatcher): CopySource | undefined {
  const first = entryOf('', root.abs, root.st);
  if (!first) return undefined;
  const entries: SourceEntry[] = [first];
  if (root.st.isDirectory()) {
    for (const e of tree.walk(root)) {
      const rel = below(root.rel, e.rel);
      if (excluded(exclude, rel)) continue;
      const se = entryOf(rel, e.abs, e.st);
      if (se) entries.push(se);
    }
  }
  return { name, entries };
}

/** A single file the builder wrote (heredoc body, download). */
export function fileSource(name: string, path: string, mode: number, size: number, mtime: number): CopySource {
  return { name, entries: [{ rel: '', kind: 'file', mode, uid: 0, gid: 0, size, mtime, path }] };
}

/** A directory tree on the host, owners kept (an extracted archive). */
export function dirSource(dir: string, name: string): CopySource {
  const entries: SourceEntry[] = [entryOf('', dir, lstatSync(dir))!];
  const visit = (abs: string, rel: string) => {
    for (const n of readdirSync(abs).sort(byCodeUnit)) {
      const childAbs = `${abs}/${n}`;
      const childRel = rel === '' ? n : `${rel}/${n}`;
      const st = lstatSync(childAbs);
      const se = entryOf(childRel, childAbs, st);
      if (!se) continue;
      entries.push(se);
      if (se.kind === 'dir') visit(childAbs, childRel);
    }
  };
  visit(dir, '');
  return { name, entries };
}
