// The start and exec chains join the container's cgroups with JOIN_LOOP: as thread 0 through
// a v1 hierarchy's `tasks` file when there is one (no global threadgroup lock, no RCU grace
// period), else as process 0 through cgroup.procs (cgroup v2). Plain files stand in for the
// cgroup files here: what matters is which file gets "0".
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JOIN_CGROUPS_SCRIPT } from '../../../src/runtime/start-plan.js';
import { EXEC_SCRIPT } from '../../../src/runtime/exec.js';

const dir = mkdtempSync(join(tmpdir(), 'minidock-join-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hierarchy(name: string, v1: boolean): string {
  const d = join(dir, name);
  mkdirSync(d);
  writeFileSync(join(d, 'cgroup.procs'), '');
  if (v1) writeFileSync(join(d, 'tasks'), '');
  return join(d, 'cgroup.procs');
}

describe('JOIN_CGROUPS_SCRIPT', () => {
  it('writes 0 to tasks on v1 hierarchies and to cgroup.procs on v2, then runs the rest', () => {
    const procs = [hierarchy('pids', true), hierarchy('memory', true), hierarchy('unified', false)];
    const out = execFileSync('sh', ['-c', JOIN_CGROUPS_SCRIPT, 'minidock-join', String(procs.length), ...procs, 'echo', 'then the chain'], { encoding: 'utf8' });
    expect(out).toBe('then the chain\n');
    expect(readFileSync(join(dir, 'pids', 'tasks'), 'utf8')).toBe('0\n');
    expect(readFileSync(join(dir, 'pids', 'cgroup.procs'), 'utf8')).toBe('');
    expect(readFileSync(join(dir, 'memory', 'tasks'), 'utf8')).toBe('0\n');
    expect(readFileSync(join(dir, 'unified', 'cgroup.procs'), 'utf8')).toBe('0\n');
    expect(existsSync(join(dir, 'unified', 'tasks'))).toBe(false);
  });

  it('stops the chain when a cgroup cannot be joined: nothing runs outside its limits', () => {
    const gone = join(dir, 'gone', 'cgroup.procs');
    const marker = join(dir, 'ran');
    expect(() => execFileSync('sh', ['-c', JOIN_CGROUPS_SCRIPT, 'minidock-join', '1', gone, 'touch', marker], { stdio: 'pipe' })).toThrow();
    expect(existsSync(marker)).toBe(false);
  });

  it('is the loop the exec chain uses too', () => {
    expect(EXEC_SCRIPT).toContain('echo 0 > "$t"');
  });
});
