// COPY and ADD in two phases. `prepareCopy` resolves the sources and computes what the cache
// key needs (content digests of context files, the source image's ID for --from, the bytes of
// downloads and heredocs); `build` runs only on a cache miss and turns the sources into the
// tar entries of the layer — no container: the layer is made directly from the files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Host } from '../../host/host.js';
import { MinidockError, invalid } from '../../errors.js';
import type { PlannedEntry } from '../../overlay/tarstream.js';
import { cleanPath } from '../../overlay/securejoin.js';
import { LayeredView } from '../../runtime/rootfs-view.js';
import type { AddInstruction, CopyInstruction } from '../dockerfile/index.js';
import { extractArchive, isArchive } from './add-archive.js';
import { download, isGitUrl, isUrl } from './add-url.js';
import { entriesDigest } from './content-hash.js';
import type { ContextDir } from './context-dir.js';
import { planCopy, type CopyDest, type CopySource } from './copy-plan.js';
import { contextSource, dirSource, fileSource, treeSource } from './copy-sources.js';
import { copyHistory } from './history.js';
import { ImageTree } from './image-tree.js';
import { imageDirInfo, imageOwner } from './image-view.js';
import { PatternMatcher } from './pattern-matcher.js';
import { sourceNotFound } from './context-dir.js';
import { hasMeta } from './go-match.js';

export interface CopyEnv {
  host: Host;
  /** Snapshot fs dirs of the image being built on, top layer first. */
  destDirs: string[];
  workdir: string;
  /** The build context (opened on first use). */
  context: () => ContextDir;
  /** --from: the source image (its ID and snapshot dirs, top first). */
  from?: { id: string; dirs: string[] };
  /** A private temporary directory for this step's downloads, heredocs and archives. */
  tmpDir: string;
  epoch: number;
  signal?: AbortSignal;
}

/** A source before materialising: enough for the cache key. */
type Pending =
  | { kind: 'ready'; source: CopySource }
  | { kind: 'archive'; path: string; name: string }
  | { kind: 'heredoc'; name: string; content: string };

export interface PreparedCopy {
  keyData: unknown;
  history: string;
  /** Whether any source comes from the build context (for the "load build context" vertex). */
  usesContext: boolean;
  build(): Promise<PlannedEntry[]>;
}

export async function prepareCopy(inst: CopyInstruction | AddInstruction, env: CopyEnv): Promise<PreparedCopy> {
  const command = inst.kind === 'add' ? 'ADD' : 'COPY';
  if (inst.kind === 'copy' && inst.parents) throw invalid('COPY --parents is not supported by minidock build');
  const exclude = inst.exclude.length ? new PatternMatcher(inst.exclude) : undefined;
  const unpack = inst.kind === 'add' ? inst.unpack : false;
  const from = inst.kind === 'copy' && inst.from !== undefined ? env.from : undefined;
  const tree = from ? new ImageTree(env.host, from.dirs) : undefined;
  await tree?.load();
  mkdirSync(env.tmpDir, { recursive: true });

  const pending: Pending[] = [];
  const keys: unknown[] = [];
  let usesContext = false;
  const paths: string[] = [];
  const heredocs: string[] = [];
  for (const [i, src] of inst.sources.entries()) {
    if (src.kind === 'heredoc') continue;
    paths.push(src.path);
    if (isUrl(src.path) || isGitUrl(src.path)) {
      if (inst.kind !== 'add') throw invalid(`source can't be a URL for COPY`);
      if (isGitUrl(src.path)) throw invalid(`ADD of a git repository (${src.path}) is not supported by minidock build`);
      const d = await download(src.path, join(env.tmpDir, `download-${i}`), inst.checksum, env.signal);
      if (unpack === true) pending.push({ kind: 'archive', path: d.path, name: d.name });
      else pending.push({ kind: 'ready', source: fileSource(d.name, d.path, 0o600, d.size, d.mtime ?? env.epoch) });
      keys.push({ url: src.path, name: d.name, digest: d.digest, unpack: unpack === true });
      continue;
    }
    if (inst.kind === 'add' && inst.checksum !== undefined) throw invalid('checksum requires HTTP(S) or Git sources');
    if (tree && from) {
      for (const { entry, name } of treeMatches(tree, src.path)) {
        const s = treeSource(tree, entry, name, exclude);
        if (s) pending.push({ kind: 'ready', source: s });
      }
      keys.push({ from: from.id, path: src.path });
      continue;
    }
    usesContext = true;
    const ctx = env.context();
    for (const m of ctx.resolveSource(src.path)) {
      const s = contextSource(ctx, m, exclude);
      const archive = inst.kind === 'add' && unpack !== false && m.st.isFile() && (await isArchive(env.host, m.abs));
      pending.push(archive ? { kind: 'archive', path: m.abs, name: m.name } : { kind: 'ready', source: s });
      keys.push({ path: m.rel, name: m.name, archive, digest: entriesDigest(s.entries) });
    }
  }
  for (const src of inst.sources) {
    if (src.kind !== 'heredoc') continue;
    heredocs.push(src.name);
    pending.push({ kind: 'heredoc', name: src.name, content: src.content });
    keys.push({ heredoc: src.name, content: src.content });
  }

  const destText = inst.dest;
  const wantsDir = destText.endsWith('/') || destText === '.' || destText.endsWith('/.');
  const destAbs = cleanPath(destText.startsWith('/') ? destText : posix.join(env.workdir || '/', destText));
  const keyData = { command, sources: keys, dest: destAbs, wantsDir, chown: inst.chown, chmod: inst.chmod };
  const history = copyHistory({ command, chown: inst.chown, chmod: inst.chmod, paths, heredocs, dest: destText });

  const build = async (): Promise<PlannedEntry[]> => {
    const view = new LayeredView(env.destDirs);
    const r = view.resolve(destAbs);
    const dest: CopyDest = { rel: r.rel, wantsDir, existing: r.stat ? (r.stat.isDirectory() ? 'dir' : 'other') : undefined };
    const owner = inst.chown ? imageOwner(view, inst.chown) : undefined;
    const sources: CopySource[] = [];
    for (const [i, p] of pending.entries()) sources.push(await materialize(p, i, env));
    return planCopy(sources, dest, {
      owner,
      chmod: inst.chmod,
      mtimeClamp: env.epoch,
      command,
      imageDir: imageDirInfo(view),
    });
  };
  return { keyData, history, usesContext, build };
}

async function materialize(p: Pending, i: number, env: CopyEnv): Promise<CopySource> {
  if (p.kind === 'ready') return p.source;
  if (p.kind === 'heredoc') {
    const file = join(env.tmpDir, `heredoc-${i}`);
    writeFileSync(file, p.content, { mode: 0o644 });
    return fileSource(p.name, file, 0o644, Buffer.byteLength(p.content), env.epoch);
  }
  const dir = join(env.tmpDir, `archive-${i}`);
  await extractArchive(env.host, p.path, dir);
  return dirSource(dir, p.name);
}

/** The image entries a --from source names (a wildcard may match none; a path must exist). */
function treeMatches(tree: ImageTree, src: string): { entry: NonNullable<ReturnType<ImageTree['resolve']>>; name: string }[] {
  const path = cleanPath(`/${src}`);
  const candidates = hasMeta(path) ? tree.glob(path) : [path];
  const out = [];
  for (const c of candidates) {
    const entry = tree.resolve(c);
    if (entry) out.push({ entry, name: posix.basename(c) });
  }
  if (out.length === 0 && !hasMeta(path)) throw sourceNotFound(path, false);
  return out;
}

export function copyFailed(err: unknown): MinidockError {
  return err instanceof MinidockError && err.kind === 'not-found'
    ? new MinidockError(`failed to compute cache key: ${err.message}`, { kind: 'not-found', hint: err.hint, cause: err })
    : (err as MinidockError);
}
