// Integration-test helpers: a fresh engine root per test, the busybox base image imported
// into it, and `minidock` run as a user would run it (the built CLI, a subprocess). Every
// root removes its containers (and with them their cgroups and mounts) when the test ends.
import { execa, type Result } from 'execa';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(REPO, 'bin', 'minidock');
const CACHE = join(tmpdir(), 'minidock-test-cache');

export const isRoot = process.geteuid?.() === 0;

/** The busybox rootfs tarball, built once per machine (deterministic bytes). */
export function busyboxTarball(): string {
  const out = join(CACHE, 'busybox-rootfs.tar');
  const script = join(REPO, 'scripts', 'busybox-rootfs.sh');
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(script).mtimeMs) {
    mkdirSync(CACHE, { recursive: true });
    const tmp = `${out}.${process.pid}`;
    execFileSync('bash', [script, tmp]);
    execFileSync('mv', [tmp, out]);
  }
  return out;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string>;
  /** Don't throw on a non-zero exit (the default: the result is returned either way). */
  timeout?: number;
}

export class TestRoot {
  readonly dir: string;
  /** Relative --cgroup-parent for everything this root starts: beneath the test's own cgroup. */
  readonly cgroupParent: string;

  constructor(readonly label = 'test') {
    this.dir = mkdtempSync(join(tmpdir(), `minidock-${label}-`));
    this.cgroupParent = `minidock-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return { MINIDOCK_ROOT: this.dir, MINIDOCK_CGROUP_PARENT: this.cgroupParent, ...extra };
  }

  /** Run `minidock ARGS…`; never throws on a non-zero exit. */
  async run(args: string[], opts: RunOptions = {}): Promise<Result> {
    return execa(BIN, args, {
      env: this.env(opts.env),
      input: opts.input,
      reject: false,
      timeout: opts.timeout ?? 60_000,
      stripFinalNewline: false,
    });
  }

  /** Run and expect success; the error message carries the command and its output. */
  async ok(args: string[], opts: RunOptions = {}): Promise<Result> {
    const r = await this.run(args, opts);
    if (r.exitCode !== 0) {
      throw new Error(`minidock ${args.join(' ')} exited ${r.exitCode}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    }
    return r;
  }

  async importBusybox(tag = 'busybox:latest'): Promise<void> {
    await this.ok(['import', '--change', 'CMD ["sh"]', busyboxTarball(), tag]);
  }

  /**
   * Remove every container (stopping running ones) and every host artefact of this root (its
   * bridge, veths, netns, firewall table, dnsmasq), then the root itself.
   */
  async cleanup(): Promise<void> {
    const r = await this.run(['system', 'reset', '-f']);
    rmSync(this.dir, { recursive: true, force: true });
    if (r.exitCode !== 0) throw new Error(`cleanup of ${this.dir} failed: ${r.stderr}`);
  }
}
