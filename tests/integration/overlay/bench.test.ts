// Speed of unpackLayer against `tar -x` and of diffUpper against `tar -c` on the same
// files: 5 alternating runs (median and best reported), each after a `sync` (so one
// run's writeback does not land in the next one's time). Outputs are deleted only after
// all runs: on this ext4 (mounted with `discard`) a big delete slows the next writes down
// by seconds, which measured the disk instead of the code. Ours runs in a fresh Node
// process (bench-runner.ts, bundled with esbuild) as the CLI would; both the time inside
// it and the wall time with Node's start-up (~60 ms) are reported. Run on demand only:
//   MINIDOCK_BENCH=1 npx vitest run tests/integration/overlay/bench.test.ts
// MINIDOCK_BENCH_TAR=/path/rootfs.tar picks the rootfs archive; by default ~200 MB of this
// host's /usr and /etc are archived (many small files, like a distro rootfs).
// MINIDOCK_BENCH_DIR=/some/dir runs in another filesystem than the temp dir's (a tmpfs
// shows the CPU cost alone; the engine's root is usually on ext4 or xfs).
//
// Measured on the 2-vCPU dev VM, ext4, while other work ran (medians; best-of-5
// in brackets), in-process / with Node's start-up:
//   unpack 203 MB rootfs (16 220 entries)   tar 303 ms   ours 386 / 462 ms   x1.27 (x1.34)
//   unpack 4 x 50 MB                         tar 120 ms   ours 124 / 195 ms   x1.03 (x0.90)
//   diffUpperTo 407 MB -> file (writeSync)   tar 283 ms   ours 417 ms         (best) x1.47
//   diffUpper 407 MB -> WriteStream          tar 279 ms   ours 774 / 848 ms   x2.78 (x2.64)
// On tmpfs (CPU only): unpack rootfs tar 177 ms, ours 274 ms (x1.55).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempDirs, isRoot } from './helpers.js';

const enabled = process.env.MINIDOCK_BENCH === '1';
if (!enabled) console.warn('tests/integration/overlay/bench.test.ts: skipped, set MINIDOCK_BENCH=1 to run the benchmarks');

const RUNS = 5;
const ROOTFS_DIRS = ['usr/include', 'usr/share/perl', 'usr/share/vim', 'usr/share/zoneinfo', 'usr/share/i18n', 'usr/share/mime', 'etc', 'usr/share/doc', 'usr/share/man'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');

describe.skipIf(!enabled || !isRoot)('overlay benchmarks', () => {
  const temps = new TempDirs();
  let work: string;
  let runner: string;
  let rootfsTar: string;
  let bigTar: string;
  const report: string[] = [];

  beforeAll(() => {
    work = process.env.MINIDOCK_BENCH_DIR ? mkdtempSync(join(process.env.MINIDOCK_BENCH_DIR, 'minidock-bench-')) : temps.make('minidock-bench-');
    runner = join(work, 'bench-runner.mjs');
    buildSync({ entryPoints: [join(import.meta.dirname, 'bench-runner.ts')], bundle: true, platform: 'node', format: 'esm', outfile: runner, logLevel: 'error' });
    rootfsTar = process.env.MINIDOCK_BENCH_TAR ?? join(work, 'rootfs.tar');
    if (!existsSync(rootfsTar)) {
      // Host directories until the archive is about 200 MB.
      const chosen: string[] = [];
      let size = 0;
      for (const d of ROOTFS_DIRS) {
        if (size >= 190e6 || !existsSync(join('/', d))) continue;
        chosen.push(d);
        size += Number(execFileSync('du', ['-sb', join('/', d)]).toString().split('\t')[0]);
      }
      execFileSync('tar', ['-cf', rootfsTar, '-C', '/', ...chosen], { stdio: 'ignore' });
    }
    const big = join(work, 'big');
    mkdirSync(big);
    for (let i = 0; i < 4; i++) writeFileSync(join(big, `f${i}`), randomBytes(50 << 20));
    bigTar = join(work, 'big.tar');
    execFileSync('tar', ['-cf', bigTar, '-C', big, '.']);
    rmSync(big, { recursive: true });
  });

  afterAll(() => {
    console.log(`\n${report.join('\n')}\n`);
    if (process.env.MINIDOCK_BENCH_DIR) rmSync(work, { recursive: true, force: true });
    temps.cleanup();
  });

  interface Timing {
    /** Wall time of the operation (for ours: inside the process, start-up excluded). */
    ms: number;
    /** For ours: wall time with Node's start-up. */
    wall: number;
    /** CPU time, user + system. */
    cpuMs: number;
  }

  function ours(op: string, from: string, to: string): Timing {
    const t = performance.now();
    const r = spawnSync('node', [runner, op, from, to], { encoding: 'utf8' });
    const wall = performance.now() - t;
    if (r.status !== 0) throw new Error(`bench-runner ${op} failed: ${r.stderr}`);
    const { ms, cpuMs } = JSON.parse(r.stdout) as { ms: number; cpuMs: number };
    return { ms, wall, cpuMs };
  }

  function tar(args: string[]): Timing {
    const t = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'tar', ...args], { encoding: 'utf8' });
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(`tar ${args.join(' ')} failed: ${r.stderr}`);
    const [user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    return { ms, wall: ms, cpuMs: (user + sys) * 1000 };
  }

  /** Alternating runs after a sync; outputs removed at the end. Returns the best-of-5 ratio. */
  function compare(label: string, runTar: (out: string) => Timing, runOurs: (out: string) => Timing, out: (who: string, i: number) => string) {
    const t: Timing[] = [];
    const o: Timing[] = [];
    for (let i = 0; i < RUNS; i++) {
      for (const who of i % 2 ? ['ours', 'tar'] : ['tar', 'ours']) {
        spawnSync('sync');
        if (who === 'tar') t.push(runTar(out(who, i)));
        else o.push(runOurs(out(who, i)));
      }
    }
    for (let i = 0; i < RUNS; i++) for (const who of ['ours', 'tar']) rmSync(out(who, i), { recursive: true, force: true });
    spawnSync('sync');
    const m = (xs: Timing[], k: keyof Timing) => median(xs.map((x) => x[k]));
    const best = (xs: Timing[]) => Math.min(...xs.map((x) => x.ms));
    // Other work on a shared VM only ever adds time, so best-of-5 is the steadier ratio;
    // the median is reported beside it.
    const bestRatio = best(o) / best(t);
    report.push(
      `${label}: median tar ${m(t, 'ms').toFixed(0)} ms, ours ${m(o, 'ms').toFixed(0)} ms in-process (x${(m(o, 'ms') / m(t, 'ms')).toFixed(2)}), ` +
        `${m(o, 'wall').toFixed(0)} ms with node start-up (x${(m(o, 'wall') / m(t, 'ms')).toFixed(2)}); ` +
        `best tar ${best(t).toFixed(0)} ms, ours ${best(o).toFixed(0)} ms (x${bestRatio.toFixed(2)}); ` +
        `CPU median tar ${m(t, 'cpuMs').toFixed(0)} ms, ours ${m(o, 'cpuMs').toFixed(0)} ms` +
        `  [tar ${fmt(t.map((x) => x.ms))} | ours ${fmt(o.map((x) => x.ms))}]`,
    );
    return bestRatio;
  }

  function unpackCase(label: string, tarPath: string): number {
    const mb = (statSync(tarPath).size / 1e6).toFixed(0);
    return compare(
      `unpack ${label} (${mb} MB) vs tar -xf`,
      (dir) => {
        mkdirSync(dir);
        return tar(['-xf', tarPath, '-C', dir]);
      },
      (dir) => ours('unpack', tarPath, dir),
      (who, i) => join(work, `x-${who}-${i}`),
    );
  }

  it('unpacks a rootfs of many small files within 2x of tar -x', () => {
    expect(unpackCase('rootfs', rootfsTar)).toBeLessThan(2);
  }, 600_000);

  it('unpacks a few large files within 2x of tar -x', () => {
    expect(unpackCase('4 x 50 MB', bigTar)).toBeLessThan(2);
  }, 600_000);

  describe('an upper dir of 400 MB (the rootfs and 4 x 50 MB)', () => {
    let upper: string;
    let mb: string;
    beforeAll(() => {
      upper = join(work, 'upper');
      mkdirSync(upper);
      execFileSync('tar', ['-xf', rootfsTar, '-C', upper]);
      execFileSync('tar', ['-xf', bigTar, '-C', upper]);
      mb = (Number(execFileSync('du', ['-sb', upper]).toString().split('\t')[0]) / 1e6).toFixed(0);
    });
    afterAll(() => rmSync(upper, { recursive: true, force: true }));

    const archive = (label: string, op: string) =>
      compare(
        `${label} (${mb} MB) vs tar -cf`,
        (out) => tar(['-cf', out, '-C', upper, '.']),
        (out) => ours(op, upper, out),
        (who, i) => join(work, `layer-${who}-${i}.tar`),
      );

    it('archives it with diffUpperTo (the commit path) within 2x of tar -c', () => {
      expect(archive('diffUpperTo (sink, writeSync)', 'diff-sink')).toBeLessThan(2);
      // Reported, not held to 2x: through a Readable every chunk is fresh memory (page
      // faults, GC) and every write a thread-pool round trip; measured ~2.6x here.
      archive('diffUpper (Readable into a WriteStream)', 'diff');
    }, 600_000);
  });
});
