// `minidock stats [--no-stream] [-a] [CONTAINER…]`: usage from the containers' cgroup files
// (CPU % over a short sample, as docker computes it from two readings).
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import type { Command } from 'commander';
import { openCgroups, parseCgroupPlan, type CgroupDriver } from '../../cgroups/index.js';
import { liveState } from '../../runtime/lifecycle/status.js';
import type { Container, State } from '../../runtime/model.js';
import { containerPaths } from '../../runtime/prepare.js';
import { ContainerStore } from '../../runtime/store.js';
import type { CommandModule } from '../context.js';
import { renderList, selectFormat } from '../format/formatter.js';
import { truncateID } from '../format/status.js';
import { bytesSize, humanSizeWithPrecision } from '../format/units.js';

const TABLE = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';
const HEADERS = { ID: 'CONTAINER ID', Name: 'NAME', Container: 'CONTAINER', CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT', MemPerc: 'MEM %', NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS' };
const SAMPLE_MS = 500;

/** Bytes received/sent on the container's interfaces except lo (its netns's /proc/net/dev). */
function netIO(pid: number): [number, number] {
  try {
    let rx = 0;
    let tx = 0;
    for (const line of readFileSync(`/proc/${pid}/net/dev`, 'utf8').split('\n').slice(2)) {
      const [name, rest] = line.split(':');
      if (!rest || name.trim() === 'lo') continue;
      const f = rest.trim().split(/\s+/).map(Number);
      rx += f[0];
      tx += f[8];
    }
    return [rx, tx];
  } catch {
    return [0, 0];
  }
}

async function sample(driver: CgroupDriver, c: Container, s: State) {
  const running = s.Status === 'running' || s.Status === 'paused';
  if (!running || !s.Cgroup) return undefined;
  return driver.stats(parseCgroupPlan(s.Cgroup)).catch(() => undefined);
}

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Display a live stream of container(s) resource usage statistics')
      .usage('[OPTIONS] [CONTAINER...]')
      .argument('[containers...]')
      .option('-a, --all', 'Show all containers (default shows just running)')
      .option('--format <string>', 'Format output using a custom template')
      .option('--no-stream', 'Disable streaming stats and only pull the first result')
      .option('--no-trunc', "Don't truncate output");
  },
  async action(ctx, refs, opts) {
    const engine = ctx.engine();
    const store = new ContainerStore(engine);
    const driver = openCgroups();
    const entries = (refs.length ? refs.map((r) => store.get(r)) : store.list()).map((e) => ({ ...e, state: liveState(e.state, containerPaths(engine, e.container.Id).exitFile) }));
    const shown = refs.length || opts.all ? entries : entries.filter((e) => e.state.Status === 'running' || e.state.Status === 'paused');
    const format = selectFormat(opts.format, { table: TABLE });
    for (;;) {
      const first = await Promise.all(shown.map((e) => sample(driver, e.container, e.state)));
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
      const second = await Promise.all(shown.map((e) => sample(driver, e.container, e.state)));
      const wallNs = (performance.now() - t0) * 1e6;
      const rows = shown.map((e, i) => {
        const a = first[i];
        const b = second[i];
        const limit = b?.memoryLimit ?? totalmem();
        const [rx, tx] = b ? netIO(e.state.Pid) : [0, 0];
        return {
          ID: opts.trunc === false ? e.container.Id : truncateID(e.container.Id),
          Container: refs[i] ?? truncateID(e.container.Id),
          Name: e.container.Name,
          CPUPerc: a && b ? `${(((b.cpuUsageNs - a.cpuUsageNs) / wallNs) * 100).toFixed(2)}%` : '0.00%',
          MemUsage: b ? `${bytesSize(b.memoryUsage)} / ${bytesSize(limit)}` : '0B / 0B',
          MemPerc: b ? `${((b.memoryUsage / limit) * 100).toFixed(2)}%` : '0.00%',
          NetIO: `${humanSizeWithPrecision(rx, 3)} / ${humanSizeWithPrecision(tx, 3)}`,
          BlockIO: '0B / 0B',
          PIDs: String(b?.pidsCurrent ?? 0),
        };
      });
      ctx.out(renderList(format, rows, { headers: HEADERS }));
      if (opts.stream === false) return;
      process.stdout.write('\x1b[2J\x1b[H');
    }
  },
};
export default command;
