// One timed operation in a fresh Node process, as the CLI would run it (its own small
// heap; a test runner's big heap makes every garbage collection slower). Bundled and
// spawned by bench.test.ts; prints {"ms", "cpuMs"} measured inside the process (CPU time
// is user + system, start-up included: steadier than wall time on a shared 2-vCPU VM).
//   unpack <layer.tar> <dest>      unpackLayer in overlay mode
//   diff <upper dir> <out.tar>     diffUpper piped to a file (a Readable into a WriteStream)
//   diff-sink <upper> <out.tar>    diffUpperTo with writeSync (one reused buffer)
import { closeSync, createReadStream, createWriteStream, openSync, writeSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { RealHost } from '../../../src/host/real.js';
import { diffUpper, diffUpperTo } from '../../../src/overlay/diff.js';
import { unpackLayer } from '../../../src/overlay/unpack.js';

const [op, from, to] = process.argv.slice(2);
const host = new RealHost();
const started = performance.now();
if (op === 'unpack') {
  await unpackLayer(host, createReadStream(from, { highWaterMark: 1 << 20 }), to, { mode: 'overlay' });
} else if (op === 'diff') {
  await pipeline(await diffUpper(host, from), createWriteStream(to));
} else if (op === 'diff-sink') {
  const fd = openSync(to, 'w');
  await diffUpperTo(host, from, (chunk) => {
    for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
  });
  closeSync(fd);
} else {
  throw new Error(`unknown operation ${op}`);
}
const ms = performance.now() - started;
const usage = process.resourceUsage();
process.stdout.write(JSON.stringify({ ms, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
