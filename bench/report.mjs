// Prints the medians of a set of hyperfine JSON exports as a table, with each row's ratio to
// a baseline row, so that every comparison comes from one run on one machine.
//   node bench/report.mjs DIR [BASELINE_NAME]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, baseline] = process.argv.slice(2);
const rows = [];
for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  let r;
  try {
    r = JSON.parse(readFileSync(join(dir, f), 'utf8')).results[0];
  } catch {
    continue; // a failed benchmark (its .err file says why)
  }
  rows.push({ name: f.replace(/^\d+-/, '').replace(/\.json$/, ''), median: r.median * 1000, mean: r.mean * 1000, min: r.min * 1000, sd: (r.stddev ?? 0) * 1000, n: r.times.length });
}
const base = rows.find((r) => r.name === baseline);
const w = Math.max(...rows.map((r) => r.name.length), 10);
console.log(`${'benchmark'.padEnd(w)}  ${'median ms'.padStart(10)}  ${'min ms'.padStart(8)}  ${'sd ms'.padStart(7)}  ${'runs'.padStart(5)}${base ? `  ${('÷ ' + base.name).padStart(14)}` : ''}`);
for (const r of rows) {
  const ratio = base ? `  ${(r.median / base.median).toFixed(2).padStart(14)}` : '';
  console.log(`${r.name.padEnd(w)}  ${r.median.toFixed(1).padStart(10)}  ${r.min.toFixed(1).padStart(8)}  ${r.sd.toFixed(1).padStart(7)}  ${String(r.n).padStart(5)}${ratio}`);
}
