// Hosts that misbehave like a kernel can: for the error paths of the cgroup drivers.
import { writeFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import type { Host, RunResult } from '../../../src/host/host.js';
import { RecordingHost } from '../../../src/host/script.js';
import { MinidockError } from '../../../src/errors.js';

/**
 * Writes real files like RealHost (mode 'real', so drivers poll), but a v1 freeze never
 * completes: writing FROZEN leaves freezer.state reading FREEZING.
 */
export class FreezingHost implements Host {
  readonly mode = 'real' as const;
  readonly writes: string[] = [];
  async writeFile(path: string, data: string): Promise<void> {
    this.writes.push(`${path} ${data}`);
    writeFileSync(path, data === 'FROZEN' ? 'FREEZING' : data);
  }
  run(): Promise<RunResult> {
    throw new Error('FreezingHost runs no commands');
  }
  spawn(): ChildProcess {
    throw new Error('FreezingHost spawns nothing');
  }
  async mkdir(): Promise<void> {
    throw new Error('FreezingHost makes no directories');
  }
  async rmdir(): Promise<void> {
    throw new Error('FreezingHost removes no directories');
  }
  async symlink(): Promise<void> {
    throw new Error('FreezingHost makes no symlinks');
  }
  async remove(): Promise<void> {
    throw new Error('FreezingHost removes nothing');
  }
  kill(): void {
    throw new Error('FreezingHost signals nothing');
  }
  comment(): void {}
}

/** Fails writes whose path ends with `suffix` with errno `code`, as RealHost reports them. */
export class FailingHost extends RecordingHost {
  /** `times`: how many writes to fail (then the writes succeed); every one by default. */
  constructor(
    private readonly suffix: string,
    private readonly code: string,
    private times = Infinity,
  ) {
    super();
  }
  override async writeFile(path: string, data: string, why?: string): Promise<void> {
    if (path.endsWith(this.suffix) && this.times-- > 0) {
      const cause = Object.assign(new Error(`${this.code}: cannot write`), { code: this.code });
      throw new MinidockError(`cannot write ${data} to ${path}`, { kind: 'host', cause });
    }
    return super.writeFile(path, data, why);
  }
}
