// The security suite's fixtures. Every attack runs against test-owned targets only:
// - the engine runs a *copy* of minidock-shim (MINIDOCK_SHIM), so an exploit that manages
//   to write a host helper damages the copy, which the test then checks;
// - the host helpers that cannot be copied (nsenter, unshare, sh, mount) are checksummed
//   before and after, and the attacker (probe.c) only opens them for writing, never writes;
// - "host" targets of symlink and path tricks are canary directories in a temp dir, whose
//   every entry is snapshotted and compared afterwards.
import { execa, type Result } from 'execa';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO, TestRoot, busyboxTarball, type RunOptions } from '../../helpers/cli.js';
import { cleanupRoot } from '../runtime/helpers.js';

export { isRoot } from '../../helpers/cli.js';

const HERE = join(REPO, 'tests', 'integration', 'security');
const CACHE = join(tmpdir(), 'minidock-test-cache');

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The static attacker, compiled once per source version (gcc -static, as the brief allows). */
export function probeBinary(): string {
  const src = join(HERE, 'probe.c');
  const out = join(CACHE, `security-probe-${sha256(src).slice(0, 16)}`);
  if (!existsSync(out)) {
    mkdirSync(CACHE, { recursive: true });
    const tmp = `${out}.${process.pid}`;
    execFileSync('gcc', ['-static', '-O2', '-Wall', '-o', tmp, src]);
    renameSync(tmp, out);
  }
  return out;
}

/** A tiny shared object whose constructor creates `canary` (for the LD_PRELOAD attack). */
export function evilSharedObject(dir: string, canary: string): string {
  const src = join(dir, 'evil.c');
  const out = join(dir, 'evil.so');
  writeFileSync(
    src,
    `#include <fcntl.h>\n#include <unistd.h>\n__attribute__((constructor)) static void pwn(void) {\n` +
      `  int fd = open(${JSON.stringify(canary)}, O_WRONLY | O_CREAT | O_APPEND, 0644);\n` +
      `  if (fd >= 0) { (void)write(fd, "loaded\\n", 7); close(fd); }\n}\n`,
  );
  execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-o', out, src]);
  return out;
}

/** The host programs a container start or exec runs; none may ever change. */
export const HOST_HELPERS = ['/usr/bin/nsenter', '/usr/bin/unshare', '/usr/bin/dash', '/usr/bin/mount', '/usr/bin/umount', '/usr/bin/cp'];

/** `inode:sha256` of each path: a build that replaces dist/minidock-shim gives a new inode,
 * while an attack writes through an fd, in place. */
export function checksums(paths: readonly string[]): Record<string, string> {
  return Object.fromEntries(paths.filter((p) => existsSync(p)).map((p) => [p, `${lstatSync(p).ino}:${sha256(p)}`]));
}

/** Every entry under `dir` (not following symlinks) with its type, size, mtime and content hash. */
export function treeSnapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    const abs = rel ? join(dir, rel) : dir;
    const st = lstatSync(abs);
    let what = `${st.mode.toString(8)} ${st.mtimeMs}`;
    if (st.isFile()) what += ` ${sha256(abs)}`;
    if (st.isSymbolicLink()) what += ` -> ${readlinkSync(abs)}`;
    out[rel || '.'] = what;
    if (st.isDirectory()) for (const n of readdirSync(abs).sort()) walk(rel ? `${rel}/${n}` : n);
  };
  walk('');
  return out;
}

/** The names in the host's `/`: a path trick that writes into the host root shows up here. */
export function hostRootNames(): string[] {
  return readdirSync('/').sort();
}

/**
 * A TestRoot whose engine runs a private copy of the shim, with a scratch directory for
 * canaries and images. `check()` asserts the real helpers and the shim copy are unchanged.
 */
export class SecurityRoot extends TestRoot {
  readonly scratch: string;
  readonly shimCopy: string;
  private readonly before: Record<string, string>;
  private readonly realShim = join(REPO, 'dist', 'minidock-shim');

  constructor(label: string) {
    super(`sec-${label}`);
    this.scratch = mkdtempSync(join(tmpdir(), `minidock-sec-${label}-scratch-`));
    this.shimCopy = join(this.scratch, 'shim', 'minidock-shim');
    mkdirSync(join(this.scratch, 'shim'));
    copyFileSync(this.realShim, this.shimCopy);
    execFileSync('chmod', ['755', this.shimCopy]);
    this.before = checksums([...HOST_HELPERS, this.realShim, this.shimCopy]);
  }

  override env(extra: Record<string, string> = {}): Record<string, string> {
    return super.env({ MINIDOCK_SHIM: this.shimCopy, ...extra });
  }

  /**
   * Containers of this suite have no network (`run --network none` unless told otherwise):
   * none of the attacks needs one, and a bridge per root costs time and host addresses.
   */
  private withNetwork(args: string[]): string[] {
    return args[0] === 'run' && !args.some((a) => a.startsWith('--net')) ? ['run', '--network', 'none', ...args.slice(1)] : args;
  }

  override async run(args: string[], opts: RunOptions = {}): Promise<Result> {
    return super.run(this.withNetwork(args), opts);
  }

  /** `minidock ARGS…` from a chosen working directory (never throws on a non-zero exit). */
  async runIn(cwd: string, args: string[], opts: RunOptions = {}): Promise<Result> {
    return execa(BIN, this.withNetwork(args), { cwd, env: this.env(opts.env), input: opts.input, reject: false, timeout: opts.timeout ?? 60_000, stripFinalNewline: false });
  }

  /**
   * The helpers (host programs, the real shim, our shim copy) whose content changed in place
   * since the root was made, with old and new checksums. (A rebuild of dist/ by a concurrent
   * `npm run build` replaces the real shim's inode: not an attack, not reported.)
   */
  modifiedHelpers(): string[] {
    const now = checksums(Object.keys(this.before));
    return Object.keys(this.before).filter((p) => {
      const [inoBefore] = this.before[p].split(':');
      if (now[p] === undefined) return p === this.shimCopy; // our copy must never disappear
      return now[p].split(':')[0] === inoBefore && now[p] !== this.before[p];
    }).map((p) => `${p}: ${this.before[p]} -> ${now[p]}`);
  }

  /** A directory the engine must never touch, with a file in it. */
  canary(name: string): string {
    const dir = join(this.scratch, `canary-${name}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep'), `canary ${name}\n`);
    return dir;
  }

  /**
   * An image: the busybox rootfs, the probe at /probe, a marker file, and whatever `edit`
   * adds (it gets the unpacked tree), imported with `--change`s.
   */
  async image(tag: string, edit?: (root: string) => void, changes: string[] = ['CMD ["sh"]']): Promise<void> {
    // Without an edit the tarball (and so the layer) is the same every time: made once.
    const tar = edit ? this.tarball(edit) : (this.baseTar ??= this.tarball());
    await this.ok(['import', ...changes.flatMap((c) => ['--change', c]), tar, tag]);
    if (edit) rmSync(tar, { force: true });
  }

  private baseTar: string | undefined;

  private tarball(edit?: (root: string) => void): string {
    const dir = mkdtempSync(join(this.scratch, 'img-'));
    execFileSync('tar', ['-C', dir, '-xf', busyboxTarball()]);
    copyFileSync(probeBinary(), join(dir, 'probe'));
    execFileSync('chmod', ['755', join(dir, 'probe')]);
    writeFileSync(join(dir, 'container-marker'), 'inside the container\n');
    edit?.(dir);
    const tar = `${dir}.tar`;
    execFileSync('tar', ['--numeric-owner', '-C', dir, '-cf', tar, '.']);
    rmSync(dir, { recursive: true, force: true });
    return tar;
  }

  /**
   * Remove every container and the root (cleanupRoot: it also checks that no process, mount
   * or cgroup of the root is left and resets its networking), then the scratch directory.
   * Returns what modifiedHelpers() says once no container is left to run the shim copy.
   */
  async finish(): Promise<string[]> {
    await cleanupRoot(this);
    const modified = this.modifiedHelpers();
    rmSync(this.scratch, { recursive: true, force: true });
    return modified;
  }
}

/** Lines of the probe's output that start with `key`. */
export function lines(out: string, key: string): string[] {
  return out.split('\n').filter((l) => l.startsWith(`${key} `));
}

/** The fds a probe listed (`fd N target`), as N → target. */
export function fdsOf(out: string): Map<number, string> {
  return new Map(lines(out, 'fd').map((l) => {
    const [, n, ...t] = l.split(' ');
    return [Number(n), t.join(' ')];
  }));
}
