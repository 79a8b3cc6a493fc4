// Resource limits as a user meets them: --memory kills an allocation beyond it (OOMKilled,
// 137), --pids-limit stops a fork loop without killing the container, --cpus throttles a
// busy loop.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupRoot, containerCgroups, expectExit, explain, isRoot, newRoot, out, state, type TestRoot } from './helpers.js';

function cpuStat(dirs: string[]): Record<string, number> | undefined {
  for (const d of dirs) {
    const f = join(d, 'cpu.stat');
    if (!existsSync(f)) continue;
    const text = readFileSync(f, 'utf8');
    if (!text.includes('nr_throttled')) continue;
    return Object.fromEntries(text.trim().split('\n').map((l) => [l.split(' ')[0], Number(l.split(' ')[1])]));
  }
  return undefined;
}

describe.skipIf(!isRoot).concurrent('resource limits', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await newRoot('rt-resources');
  });
  afterAll(async () => {
    await cleanupRoot(root);
  });

  it('the default cgroup parent /minidock goes with its last container (kept while one is left)', async () => {
    // Every other test uses a relative parent; this one the default, at each hierarchy's root.
    // If a real engine on this host already keeps containers there, only our own part is checked.
    const roots = readdirSync('/sys/fs/cgroup', { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join('/sys/fs/cgroup', e.name));
    const parentDirs = () => [...roots, '/sys/fs/cgroup'].map((r) => join(r, 'minidock')).filter((d) => existsSync(d));
    const before = parentDirs();
    const env = { MINIDOCK_CGROUP_PARENT: '' };
    const a = String((await root.run(['run', '-d', '--network', 'none', 'busybox', 'sleep', '60'], { env })).stdout).trim();
    const b = String((await root.run(['run', '-d', '--network', 'none', 'busybox', 'sleep', '60'], { env })).stdout).trim();
    expect(a).toMatch(/^[a-f0-9]{64}$/);
    expect(b).toMatch(/^[a-f0-9]{64}$/);
    const made = parentDirs().filter((d) => !before.includes(d));
    if (before.length === 0) expect(made.length).toBeGreaterThan(0);
    for (const d of parentDirs()) expect(existsSync(join(d, a)), d).toBe(true);
    await expectExit(root, ['rm', '-f', a], 0);
    for (const d of made) expect(existsSync(join(d, b)), `${d} holds the other container`).toBe(true);
    await expectExit(root, ['rm', '-f', b], 0);
    expect(parentDirs().filter((d) => existsSync(join(d, a)) || existsSync(join(d, b)))).toEqual([]);
    expect(parentDirs().filter((d) => !before.includes(d))).toEqual([]);
  });

  it('--memory 32m: allocating 64 MB is OOM-killed, exit 137, State.OOMKilled', async () => {
    // `tail` holds its whole input in memory: one line of 64 MB of zero bytes. It is the
    // pipeline's last command, so its death by SIGKILL is the shell's (and the container's) status.
    const alloc = 'head -c 64m /dev/zero | tail > /dev/null';
    await expectExit(root, ['run', '--name', 'oom', '--memory', '32m', 'busybox', 'sh', '-c', alloc], 137);
    const s = await state(root, 'oom');
    expect({ OOMKilled: s.OOMKilled, ExitCode: s.ExitCode, Status: s.Status }, JSON.stringify(s)).toEqual({ OOMKilled: true, ExitCode: 137, Status: 'exited' });
    // the same allocation fits without a limit
    await expectExit(root, ['run', '--rm', 'busybox', 'sh', '-c', alloc], 0);
  });

  it('--memory: a small allocation under the limit is not an OOM kill', async () => {
    await expectExit(root, ['run', '--name', 'no-oom', '--memory', '32m', 'busybox', 'sh', '-c', 'head -c 4m /dev/zero | tail > /dev/null'], 0);
    const s = await state(root, 'no-oom');
    expect(s.OOMKilled, JSON.stringify(s)).toBe(false);
  });

  it('--pids-limit 10 stops a fork loop ("can\'t fork") and the container survives it', async () => {
    // The loop runs in a subshell; what follows uses builtins only, so it needs no new pid.
    const script = [
      '(for i in $(seq 1 40); do sleep 30 & done) 2>/tmp/err',
      'echo "loop exit=$?"',
      'read -r line < /tmp/err; echo "$line"',
      'n=0; for p in /proc/[0-9]*; do n=$((n+1)); done; echo "pids=$n"',
      'echo alive',
    ].join('; ');
    const r = await expectExit(root, ['run', '--rm', '--pids-limit', '10', 'busybox', 'sh', '-c', script], 0);
    const text = String(r.stdout);
    expect(text, explain(r)).toMatch(/loop exit=[1-9]/);
    expect(text, explain(r)).toMatch(/can't fork|Resource temporarily unavailable/);
    expect(text, explain(r)).toContain('alive\n');
    const pids = Number(/pids=(\d+)/.exec(text)?.[1]);
    expect(pids, explain(r)).toBeLessThanOrEqual(10);
    // without the limit the same loop starts all its sleeps
    const free = await expectExit(root, ['run', '--rm', 'busybox', 'sh', '-c', '(for i in $(seq 1 40); do sleep 30 & done) 2>&1; echo "loop exit=$?"'], 0);
    expect(String(free.stdout), explain(free)).toContain('loop exit=0');
  });

  it('--cpus 0.5 throttles busy loops to half a CPU; without it a loop is never throttled', async () => {
    // Four loops ask for four CPUs: far above the quota even on a loaded machine, so the limited
    // container is throttled and gets at most half a CPU. CPU time and throttling are read
    // from the host (cpuacct.usage / cpu.stat) over the same wall-clock window.
    const loops = (n: number) => `for i in $(seq 1 ${n}); do sh -c 'while :; do :; done' & done; wait`;
    const limited = await out(root, ['run', '-d', '--cpus', '0.5', 'busybox', 'sh', '-c', loops(4)]);
    const free = await out(root, ['run', '-d', 'busybox', 'sh', '-c', loops(1)]);
    const usage = (dirs: string[]): number => {
      for (const d of dirs) {
        if (existsSync(join(d, 'cpuacct.usage'))) return Number(readFileSync(join(d, 'cpuacct.usage'), 'utf8')) / 1e9;
        const v2 = /^usage_usec (\d+)/m.exec(readOptional(join(d, 'cpu.stat')));
        if (v2) return Number(v2[1]) / 1e6;
      }
      throw new Error(`no CPU usage file in ${dirs.join(', ')}`);
    };
    const dirs = { limited: containerCgroups(root, limited), free: containerCgroups(root, free) };
    await new Promise((r) => setTimeout(r, 300)); // the loops are running
    const t0 = performance.now();
    const u0 = { limited: usage(dirs.limited), free: usage(dirs.free) };
    const s0 = { limited: cpuStat(dirs.limited), free: cpuStat(dirs.free) };
    await new Promise((r) => setTimeout(r, 1500));
    const wall = (performance.now() - t0) / 1000;
    const ratio = { limited: (usage(dirs.limited) - u0.limited) / wall, free: (usage(dirs.free) - u0.free) / wall };
    const s1 = { limited: cpuStat(dirs.limited), free: cpuStat(dirs.free) };
    const quota = readQuota(dirs.limited);
    const details = JSON.stringify({ dirs, quota, wall, ratio, before: s0, after: s1 }, null, 1);
    // the limit the kernel enforces: 50 ms of CPU per 100 ms period
    expect(quota, details).toEqual({ quota: 50000, period: 100000 });
    expect(s1.free?.nr_throttled ?? 0, details).toBe(0);
    // CPU time over wall time: at most about 0.5, whatever the load (the quota is a ceiling)
    expect(ratio.limited, details).toBeLessThanOrEqual(0.62);
    if (ratio.free >= 0.7) {
      // The machine had a free CPU (the unlimited loop got most of one): the limited loops
      // ran into the quota, about half a CPU.
      expect(s1.limited!.nr_throttled - s0.limited!.nr_throttled, details).toBeGreaterThan(0);
      expect(ratio.limited, details).toBeGreaterThanOrEqual(0.3);
    } else {
      // Every cgroup gets the same share under contention: the host is too busy to see the quota bite.
      console.warn(`--cpus test: host too busy to measure throttling (unlimited loop got ${ratio.free.toFixed(2)} CPU); checked the ceiling only\n${details}`);
    }
    await expectExit(root, ['rm', '-f', limited, free], 0);
  });
});

/** The CFS quota of a container: v1 cpu.cfs_quota_us/cfs_period_us, v2 cpu.max. */
function readQuota(dirs: string[]): { quota: number; period: number } | undefined {
  for (const d of dirs) {
    const q = readOptional(join(d, 'cpu.cfs_quota_us'));
    if (q) return { quota: Number(q), period: Number(readOptional(join(d, 'cpu.cfs_period_us'))) };
    const max = readOptional(join(d, 'cpu.max'));
    if (max) return { quota: Number(max.split(' ')[0]), period: Number(max.split(' ')[1]) };
  }
  return undefined;
}

function readOptional(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
