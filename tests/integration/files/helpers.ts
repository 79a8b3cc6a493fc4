// Shared by the cp/diff/commit/prune tests: a root with busybox imported, local temp dirs
// that always go, and a host "canary" directory that no copy may ever touch.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type Result } from 'execa';
import { BIN, TestRoot, type RunOptions } from '../../helpers/cli.js';

export { isRoot } from '../../helpers/cli.js';

/**
 * A TestRoot whose containers have no network (`--network none`): cp, diff, commit and prune
 * need none, and a root's default bridge would outlive TestRoot.cleanup (it removes
 * containers and the root directory, not the bridge, its nft table and its address pool).
 */
export class FilesRoot extends TestRoot {
  override run(args: string[], opts: RunOptions = {}) {
    const verb = args[0] === 'container' ? args[1] : args[0];
    const at = args[0] === 'container' ? 2 : 1;
    const withNet = verb === 'run' || verb === 'create' ? [...args.slice(0, at), '--network', 'none', ...args.slice(at)] : args;
    return super.run(withNet, opts);
  }
}

export async function busyboxRoot(label: string): Promise<TestRoot> {
  const root = new FilesRoot(label);
  await root.importBusybox();
  return root;
}

/** A temp dir for local files; `cleanup()` removes every one made. */
export class LocalDirs {
  private readonly made: string[] = [];

  make(label = 'local'): string {
    const d = mkdtempSync(join(tmpdir(), `minidock-files-${label}-`));
    this.made.push(d);
    return d;
  }

  cleanup(): void {
    for (const d of this.made) rmSync(d, { recursive: true, force: true });
  }
}

/**
 * A host directory with a secret in it, named like a path the container will point its
 * symlinks at. Whatever a container's symlink says, cp must neither read nor write here.
 */
export function makeCanary(dirs: LocalDirs): { dir: string; secret: string; untouched(): boolean } {
  const dir = dirs.make('canary');
  const secret = join(dir, 'secret');
  writeFileSync(secret, 'HOST SECRET\n');
  return { dir, secret, untouched: () => readdirSync(dir).join(',') === 'secret' };
}

/** The names in a tar stream (GNU tar), for `cp … -` outputs. */
export function tarNames(tar: Buffer): string[] {
  return execFileSync('tar', ['-t', '-f', '-'], { input: tar }).toString().split('\n').filter(Boolean);
}

/** A tar of `dir`'s contents, made by GNU tar (an implementation other than ours). */
export function tarOf(dir: string, ...names: string[]): Buffer {
  return execFileSync('tar', ['-c', '-f', '-', '-C', dir, ...(names.length ? names : ['.'])]);
}

export function output(r: Result): string {
  return String(r.stdout);
}

/** stderr, for checking docker's error wording. */
export function errors(r: Result): string {
  return String(r.stderr).trim();
}

/** Waits until `minidock exec NAME test -e PATH` succeeds (a detached container's setup ran). */
export async function waitForFile(root: TestRoot, name: string, path: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await root.run(['exec', name, 'test', '-e', path]);
    if (r.exitCode === 0) return;
    if (Date.now() > deadline) throw new Error(`${path} never appeared in ${name}: ${r.stderr}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** `minidock ARGS…` with binary stdin/stdout (tar streams). */
export async function runBinary(root: TestRoot, args: string[], input?: Buffer): Promise<{ exitCode: number; stdout: Buffer; stderr: string }> {
  const r = await execa(BIN, args, { env: root.env(), input, encoding: 'buffer', reject: false, timeout: 60_000 });
  return { exitCode: r.exitCode ?? -1, stdout: Buffer.from(r.stdout as Uint8Array), stderr: Buffer.from(r.stderr as Uint8Array).toString() };
}
