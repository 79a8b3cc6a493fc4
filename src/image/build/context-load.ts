// Where a build's files come from, as `docker build` takes them:
//  - a directory, read in place;
//  - `-`: a tar on stdin (plain, gzip, bzip2 or xz), unpacked into the build's temp dir — or,
//    when stdin is not a tar at all, a Dockerfile with an empty context (`build - < Dockerfile`);
//  - the Dockerfile: `-f PATH` (relative to the current directory for a directory context, to
//    the archive's root for a tar context, and it may lie outside the context), `-f -` (stdin),
//    or `Dockerfile` (then `dockerfile`) in the context.
// .dockerignore: `<Dockerfile>.dockerignore` beside the Dockerfile wins over the context's own.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Host } from '../../host/host.js';
import { MinidockError, errnoCode, invalid, usageError } from '../../errors.js';
import { unpackLayer } from '../../overlay/unpack.js';
import { decompressed } from '../compression.js';
import { cleanPath } from '../../overlay/securejoin.js';
import { ContextDir } from './context-dir.js';
import { ignoreFileCandidates, parseIgnoreFile } from './dockerignore.js';
import { PatternMatcher } from './pattern-matcher.js';

export type ContextInput = { kind: 'dir'; path: string } | { kind: 'stdin'; stream: Readable };

/** `-f`: a path, the text itself (`-f -` read by the caller), or the default. */
export type DockerfileInput = { kind: 'default' } | { kind: 'path'; path: string } | { kind: 'text'; text: string };

export interface LoadedContext {
  context: ContextDir;
  dockerfile: { text: string; name: string };
  /** Patterns in force and the file they came from (for the progress display). */
  ignore: { file?: string; patterns: string[]; bytes: number };
}

export async function loadContext(host: Host, input: ContextInput, df: DockerfileInput, tmpDir: string, cwd = process.cwd()): Promise<LoadedContext> {
  let root: string;
  let stdinDockerfile: string | undefined;
  if (input.kind === 'dir') {
    root = resolve(cwd, input.path);
    let st;
    try {
      st = statSync(root);
    } catch {
      throw usageError(`unable to prepare context: path ${JSON.stringify(input.path)} not found`);
    }
    if (!st.isDirectory()) throw usageError(`unable to prepare context: context must be a directory: ${root}`);
  } else {
    root = join(tmpDir, 'context');
    mkdirSync(root, { recursive: true });
    stdinDockerfile = await unpackStdin(host, input.stream, root);
  }

  let text: string;
  let name: string;
  let path: string | undefined;
  if (df.kind === 'text') {
    text = df.text;
    name = 'Dockerfile';
  } else if (stdinDockerfile !== undefined) {
    if (df.kind === 'path') throw usageError('unable to prepare context: the Dockerfile cannot be given with -f when stdin is a Dockerfile');
    text = stdinDockerfile;
    name = 'Dockerfile';
  } else {
    // In a tar context, -f names a file of the archive (kept inside it, as docker does).
    const named = (p: string) => (input.kind === 'dir' ? resolve(cwd, p) : join(root, cleanPath(`/${p}`)));
    path = df.kind === 'path' ? named(df.path) : defaultDockerfile(root);
    name = df.kind === 'path' ? basename(df.path) : basename(path);
    text = readDockerfile(path, df.kind === 'path' ? df.path : 'Dockerfile');
  }
  if (text.trim() === '') throw invalid('the Dockerfile cannot be empty');

  const ignore = readIgnore(path, root);
  const matcher = ignore.patterns.length ? new PatternMatcher(ignore.patterns) : undefined;
  return { context: new ContextDir(root, matcher), dockerfile: { text, name }, ignore };
}

function defaultDockerfile(root: string): string {
  const upper = join(root, 'Dockerfile');
  const lower = join(root, 'dockerfile');
  return !existsSync(upper) && existsSync(lower) ? lower : upper;
}

function readDockerfile(path: string, shown: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const why = errnoCode(err) === 'ENOENT' ? 'no such file or directory' : errnoCode(err) === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new MinidockError(`failed to read dockerfile: open ${shown}: ${why}`, { kind: 'not-found', hint: 'name it with -f, or put a Dockerfile at the root of the context' });
  }
}

function readIgnore(dockerfilePath: string | undefined, root: string): LoadedContext['ignore'] {
  for (const file of ignoreFileCandidates(dockerfilePath, root)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    return { file, patterns: parseIgnoreFile(text), bytes: Buffer.byteLength(text) };
  }
  return { patterns: [], bytes: 0 };
}

/** Unpack a tar from stdin into `dest`; returns the text instead when stdin is no tar. */
async function unpackStdin(host: Host, input: Readable, dest: string): Promise<string | undefined> {
  const { stream } = await decompressed(host, input);
  const { head, all } = await readHead(stream, 512);
  if (!looksLikeTar(head)) {
    const chunks: Buffer[] = [];
    for await (const c of all) chunks.push(c);
    return Buffer.concat(chunks).toString('utf8');
  }
  await unpackLayer(host, all, dest, { mode: 'plain', preserveOwner: false, label: 'the build context from stdin' });
  return undefined;
}

/** The first `n` bytes (fewer if the input is shorter) and the whole input, head included.
 *  (Read through the iterator, not unshift(): a short input has ended by then.) */
async function readHead(stream: Readable, n: number): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let have = 0;
  let ended = false;
  while (have < n) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    chunks.push(Buffer.from(r.value));
    have += r.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    if (ended) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield Buffer.from(r.value);
  }
  return { head: head.subarray(0, n), all: all() };
}

/** A ustar/GNU header, or at least a valid header checksum (v7 tars). */
export function looksLikeTar(head: Buffer): boolean {
  if (head.length < 512) return false;
  if (head.toString('latin1', 257, 262) === 'ustar') return true;
  const stored = Number.parseInt(head.toString('latin1', 148, 156).replace(/\0.*$/, '').trim(), 8);
  if (!Number.isFinite(stored)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : head[i];
  return sum === stored;
}
