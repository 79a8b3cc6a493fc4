// Shared by the build integration tests: a TestRoot whose `minidock` can be swapped with
// MINIDOCK_BIN (to try a bundle before its route is wired), build contexts in temp dirs, and
// the checks a failed build must pass: the store exactly as before, and no container, cgroup,
// mount or temp file of the build left behind.
import { execa, type Result } from 'execa';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, rmdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BIN, TestRoot, type RunOptions } from '../../helpers/cli.js';

export const MINIDOCK = process.env.MINIDOCK_BIN ?? BIN;

export class BuildRoot extends TestRoot {
  private readonly contexts: string[] = [];

  override async run(args: string[], opts: RunOptions = {}): Promise<Result> {
    return execa(MINIDOCK, args, {
      env: this.env(opts.env),
      input: opts.input,
      reject: false,
      timeout: opts.timeout ?? 120_000,
      stripFinalNewline: false,
    });
  }

  /** `minidock ARGS…` with stdin read from a file (a tarball); never throws. */
  runWithStdinFile(args: string[], inputFile: string): Promise<Result> {
    return execa(MINIDOCK, args, { env: this.env(), inputFile, reject: false, timeout: 120_000, stripFinalNewline: false });
  }

  /** `build --progress=plain ARGS… CONTEXT`; never throws. */
  build(context: string, args: string[] = [], opts: RunOptions = {}): Promise<Result> {
    return this.run(['build', '--progress=plain', ...args, context], opts);
  }

  /** Build and expect success; returns the image ID (from -q). */
  async buildId(context: string, args: string[] = [], opts: RunOptions = {}): Promise<string> {
    const r = await this.build(context, ['-q', ...args], opts);
    if (r.exitCode !== 0) throw new Error(`build ${args.join(' ')} exited ${r.exitCode}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return String(r.stdout).trim();
  }

  /** A build context: file name → text, or an object for modes and symlinks. */
  context(files: Record<string, string | { content: string; mode?: number } | { symlink: string }>): string {
    const dir = mkdtempSync(join(tmpdir(), 'minidock-build-ctx-'));
    this.contexts.push(dir);
    for (const [name, spec] of Object.entries(files)) {
      const p = join(dir, name);
      mkdirSync(dirname(p), { recursive: true });
      if (typeof spec === 'string') writeFileSync(p, spec);
      else if ('symlink' in spec) symlinkSync(spec.symlink, p);
      else {
        writeFileSync(p, spec.content);
        if (spec.mode !== undefined) chmodSync(p, spec.mode);
      }
    }
    return dir;
  }

  /** stdout of `minidock run --rm IMAGE sh -c SCRIPT`. */
  async sh(image: string, script: string, args: string[] = []): Promise<string> {
    const r = await this.ok(['run', '--rm', '--network', 'none', ...args, image, 'sh', '-c', script]);
    return String(r.stdout);
  }

  async inspect(image: string): Promise<any> {
    return JSON.parse(String((await this.ok(['image', 'inspect', image])).stdout))[0];
  }

  /** Removes everything; fails when a container cgroup outlived its container (a leak). */
  override async cleanup(): Promise<void> {
    let leaked: string[] = [];
    try {
      await super.cleanup();
      leaked = cgroupLeftovers(this.cgroupParent);
    } finally {
      for (const d of this.contexts) rmSync(d, { recursive: true, force: true });
      for (const d of leaked) rmdirQuiet(d);
      removeEmptyCgroups(this.cgroupParent);
    }
    if (leaked.length) throw new Error(`container cgroups left behind:\n${leaked.join('\n')}`);
  }
}

/** Everything a build may write under the root, to compare before and after a failure. */
export function storeState(root: string): Record<string, string[] | string> {
  const list = (d: string) => (existsSync(join(root, d)) ? readdirSync(join(root, d)).sort() : []);
  return {
    index: existsSync(join(root, 'index.json')) ? readFileSync(join(root, 'index.json'), 'utf8') : '',
    blobs: list('blobs/sha256'),
    snapshots: list('snapshots'),
    containers: list('containers'),
    ingest: list('ingest'),
    tmp: list('tmp'),
  };
}

/** The cgroup directories a test's relative parent made in each hierarchy (this process's cgroup). */
export function cgroupDirs(parent: string): string[] {
  const out: string[] = [];
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n')) {
    const [, controllers, path] = line.split(':');
    const names = controllers === '' ? ['unified', ''] : [controllers.replace(/^name=/, '')];
    for (const n of names) {
      const dir = join('/sys/fs/cgroup', n, path, parent);
      if (existsSync(dir)) out.push(dir);
    }
  }
  return [...new Set(out)];
}

/** Container cgroups still below the test's parent (there must be none after a build). */
export function cgroupLeftovers(parent: string): string[] {
  return cgroupDirs(parent).flatMap((d) =>
    readdirSync(d, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(d, e.name)),
  );
}

function removeEmptyCgroups(parent: string): void {
  for (const d of cgroupDirs(parent)) rmdirQuiet(d);
}

function rmdirQuiet(d: string): void {
  try {
    rmdirSync(d);
  } catch {
    // still in use: leakcheck reports it
  }
}

/** Mount points below a directory (a build must not leave any). */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m) => m !== undefined && m.startsWith(dir));
}

/** Step lines of plain progress output: "#5 [2/3] RUN x" → "[2/3] RUN x: CACHED|DONE|ERROR"
 *  ([internal] vertices left out, image digests after FROM dropped). */
export function stepResults(plain: string): string[] {
  const names = new Map<string, string>();
  const out: string[] = [];
  for (const line of plain.split('\n')) {
    const m = /^#(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const [, n, rest] = m;
    if (!names.has(n)) {
      names.set(n, rest);
      continue;
    }
    const end = /^(CACHED|DONE [0-9.]+s|ERROR: .*)$/.exec(rest);
    if (end && names.get(n)!.startsWith('[') && !names.get(n)!.startsWith('[internal]')) out.push(`${names.get(n)!.replace(/@sha256:[a-f0-9]{64}/, '')}: ${end[1].startsWith('DONE') ? 'DONE' : end[1].startsWith('ERROR') ? 'ERROR' : 'CACHED'}`);
  }
  return out;
}
