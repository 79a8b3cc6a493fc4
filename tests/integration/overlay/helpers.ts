// For the root-only overlay tests: a RealHost that also keeps the argv it ran (to count
// processes per layer), mount tracking that always unmounts before temp dirs are removed,
// and small readers for device numbers and xattrs.
import { execFileSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { RealHost } from '../../../src/host/real.js';
import type { RunOptions, RunResult } from '../../../src/host/host.js';
import { TempDirs } from '../../unit/overlay/helpers.js';

export { TempDirs, chunked, collect, craftTar, describeTree, isRoot } from '../../unit/overlay/helpers.js';

export class TeeHost extends RealHost {
  readonly argvs: string[][] = [];

  override run(argv: readonly string[], opts?: RunOptions): Promise<RunResult> {
    this.argvs.push([...argv]);
    return super.run(argv, opts);
  }

  count(cmd: string): number {
    return this.argvs.filter((a) => a[0] === cmd).length;
  }
}

/** Temp dirs plus the mounts made inside them: unmounted first, removed after. */
export class Sandbox extends TempDirs {
  private readonly mounts: string[] = [];

  mounted(target: string): void {
    this.mounts.push(target);
  }

  unmount(target: string): void {
    const i = this.mounts.lastIndexOf(target);
    if (i !== -1) this.mounts.splice(i, 1);
    execFileSync('umount', [target]);
  }

  override cleanup(): void {
    const failures: string[] = [];
    for (const m of this.mounts.splice(0).reverse()) {
      try {
        execFileSync('umount', [m], { stdio: 'pipe' });
      } catch (e) {
        failures.push(`${m}: ${(e as Error).message}`);
      }
    }
    // Never rm -rf a tree that may still have a mount in it.
    if (failures.length) throw new Error(`could not unmount, temp dirs left in place:\n${failures.join('\n')}`);
    super.cleanup();
  }
}

/** Whether `path` is an overlay whiteout: a character device 0/0. */
export function isWhiteoutDevice(path: string): boolean {
  const st = lstatSync(path, { throwIfNoEntry: false });
  return st !== undefined && st.isCharacterDevice() && st.rdev === 0;
}

/** One xattr's value as getfattr reads it (undefined when absent). */
export function getXattr(path: string, name: string): Buffer | undefined {
  try {
    const out = execFileSync('getfattr', ['-h', '--only-values', '-n', name, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    return out;
  } catch {
    return undefined;
  }
}

/** Every xattr of a tree, as `getfattr -R -d -m - -e hex` prints it (stable for comparing trees). */
export function dumpXattrs(root: string): string {
  return execFileSync('getfattr', ['-R', '-P', '-h', '-d', '-m', '-', '-e', 'hex', '.'], { cwd: root }).toString();
}
