// Speed of unpackLayer against `tar -x` and of diffUpper against `tar -c` on the same
// files: median of 5 alternating runs, each into a fresh directory after `sync` (so one
// run's writeback does not land in the next one's time). Outputs are deleted only after
// all runs: on this ext4 (mounted with `discard`) a big delete slows the next writes down
// by seconds, which measured the disk instead of the code. Run on demand only:
//   MINIDOCK_BENCH=1 npx vitest run tests/integration/overlay/bench.test.ts
// MINIDOCK_BENCH_TAR=/path/rootfs.tar picks the rootfs archive; by default ~200 MB of this
// host's /usr and /etc are archived (many small files, like a distro rootfs).
// MINIDOCK_BENCH_DIR=/some/dir runs in another filesystem than the temp dir's (a tmpfs
// shows the CPU cost alone; the engine's root is usually on ext4 or xfs).
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealHost } from '../../../src/host/real.js';
import { diffUpper } from '../../../src/overlay/diff.js';
import { unpackLayer } from '../../../src/overlay/unpack.js';
import { TempDirs, isRoot } from './helpers.js';

const enabled = process.env.MINIDOCK_BENCH === '1';
if (!enabled) console.warn('tests/integration/overlay/bench.test.ts: skipped, set MINIDOCK_BENCH=1 to run the benchmarks');

const RUNS = 5;
const ROOTFS_DIRS = ['usr/include', 'usr/share/perl', 'usr/share/vim', 'usr/share/zoneinfo', 'usr/share/i18n', 'usr/share/mime', 'etc', 'usr/share/doc', 'usr/share/man'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timed(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

async function timedAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

function settle(): void {
  spawnSync('sync');
}

describe.skipIf(!enabled || !isRoot)('overlay benchmarks', () => {
  const temps = new TempDirs();
  let work: string;
  let rootfsTar: string;
  let bigTar: string;
  const host = new RealHost();
  const report: string[] = [];

  beforeAll(() => {
    work = process.env.MINIDOCK_BENCH_DIR ? mkdtempSync(join(process.env.MINIDOCK_BENCH_DIR, 'minidock-bench-')) : temps.make('minidock-bench-');
    rootfsTar = process.env.MINIDOCK_BENCH_TAR ?? join(work, 'rootfs.tar');
    if (!existsSync(rootfsTar)) {
      // Add host directories until the archive is about 200 MB.
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

  async function compareUnpack(label: string, tarPath: string): Promise<number> {
    const tarMs: number[] = [];
    const ourMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      for (const who of i % 2 ? ['ours', 'tar'] : ['tar', 'ours']) {
        const dir = join(work, `x-${who}-${i}`);
        mkdirSync(dir);
        settle();
        if (who === 'tar') tarMs.push(timed(() => execFileSync('tar', ['-xf', tarPath, '-C', dir])));
        else ourMs.push(await timedAsync(() => unpackLayer(host, createReadStream(tarPath, { highWaterMark: 1 << 20 }), dir, { mode: 'overlay' })));
      }
    }
    for (let i = 0; i < RUNS; i++) for (const who of ['ours', 'tar']) rmSync(join(work, `x-${who}-${i}`), { recursive: true });
    settle();
    const ratio = median(ourMs) / median(tarMs);
    const mb = (statSync(tarPath).size / 1e6).toFixed(0);
    report.push(`unpack ${label} (${mb} MB): tar -xf ${median(tarMs).toFixed(0)} ms, unpackLayer ${median(ourMs).toFixed(0)} ms, ratio ${ratio.toFixed(2)}  [tar ${tarMs.map((x) => x.toFixed(0)).join(' ')} | ours ${ourMs.map((x) => x.toFixed(0)).join(' ')}]`);
    return ratio;
  }

  it('unpacks a rootfs of many small files within 2x of tar -x', async () => {
    expect(await compareUnpack('rootfs', rootfsTar)).toBeLessThan(2);
  }, 600_000);

  it('unpacks a few large files within 2x of tar -x', async () => {
    expect(await compareUnpack('4 x 50 MB', bigTar)).toBeLessThan(2);
  }, 600_000);

  it('archives a 300 MB upper dir within 2x of tar -c', async () => {
    const upper = join(work, 'upper');
    mkdirSync(upper);
    execFileSync('tar', ['-xf', rootfsTar, '-C', upper]);
    execFileSync('tar', ['-xf', bigTar, '-C', upper]); // 200 MB of large files beside the small ones
    settle();
    const bytes = Number(execFileSync('du', ['-sb', upper]).toString().split('\t')[0]);
    const tarMs: number[] = [];
    const ourMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      for (const who of i % 2 ? ['ours', 'tar'] : ['tar', 'ours']) {
        const out = join(work, `layer-${who}-${i}.tar`);
        settle();
        if (who === 'tar') tarMs.push(timed(() => execFileSync('tar', ['-cf', out, '-C', upper, '.'])));
        else ourMs.push(await timedAsync(async () => pipeline(await diffUpper(host, upper), createWriteStream(out))));
      }
    }
    for (let i = 0; i < RUNS; i++) for (const who of ['ours', 'tar']) rmSync(join(work, `layer-${who}-${i}.tar`));
    const ratio = median(ourMs) / median(tarMs);
    report.push(`diff upper (${(bytes / 1e6).toFixed(0)} MB): tar -cf ${median(tarMs).toFixed(0)} ms, diffUpper ${median(ourMs).toFixed(0)} ms, ratio ${ratio.toFixed(2)}  [tar ${tarMs.map((x) => x.toFixed(0)).join(' ')} | ours ${ourMs.map((x) => x.toFixed(0)).join(' ')}]`);
    rmSync(upper, { recursive: true });
    expect(ratio).toBeLessThan(2);
  }, 600_000);
});
