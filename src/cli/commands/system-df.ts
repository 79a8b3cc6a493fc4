// `minidock system df [-v] [--format]`
import type { Command } from 'commander';
import { directorySize, imageDiskUsage, type UsageLine } from '../../image/disk-usage.js';
import { ImageStore } from '../../image/store/store.js';
import { containerPaths } from '../../runtime/prepare.js';
import { ContainerStore } from '../../runtime/store.js';
import { liveState } from '../../runtime/lifecycle/status.js';
import type { CommandModule } from '../context.js';
import { renderList, selectFormat } from '../format/formatter.js';
import { humanSize } from '../format/units.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const TABLE = 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}';

// docker's disk_usage.go: go-units HumanSize (four significant digits) and an integer percentage
// (Go's truncating division); the build cache line has no percentage.
function row(u: UsageLine) {
  const pct = u.size > 0 ? Math.floor((u.reclaimable * 100) / u.size) : 0;
  return {
    Type: u.type,
    TotalCount: String(u.total),
    Active: String(u.active),
    Size: humanSize(u.size),
    Reclaimable: u.size > 0 && u.type !== 'Build Cache' ? `${humanSize(u.reclaimable)} (${pct}%)` : humanSize(u.reclaimable),
  };
}

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Show minidock disk usage')
      .option('--format <string>', 'Format output using a custom template')
      .option('-v, --verbose', 'Show detailed information on space usage');
  },
  async action(ctx, _args, opts) {
    const engine = ctx.engine();
    const store = new ImageStore(engine);
    const containers = new ContainerStore(engine).list();
    const active = new Set(containers.map((e) => e.container.Image));
    const { images, cache } = await imageDiskUsage(store, active);
    let ctrSize = 0;
    let ctrReclaim = 0;
    let running = 0;
    for (const { container, state } of containers) {
      const s = directorySize(containerPaths(engine, container.Id).upper);
      ctrSize += s;
      const st = liveState(state, containerPaths(engine, container.Id).exitFile).Status;
      if (st === 'running' || st === 'paused' || st === 'restarting') running++;
      else ctrReclaim += s;
    }
    let names: string[] = [];
    try {
      names = readdirSync(engine.paths.volumesDir);
    } catch {
      names = [];
    }
    const used = new Set(containers.flatMap((e) => e.container.Mounts.filter((m) => m.Type === 'volume').map((m) => m.Name)));
    const volumes = { total: names.length, active: 0, size: 0, reclaimable: 0 };
    for (const n of names) {
      const s = directorySize(join(engine.paths.volumesDir, n, '_data'));
      volumes.size += s;
      if (used.has(n)) volumes.active++;
      else volumes.reclaimable += s;
    }
    const lines: UsageLine[] = [
      images,
      { type: 'Containers', total: containers.length, active: running, size: ctrSize, reclaimable: ctrReclaim },
      { type: 'Local Volumes', ...volumes },
      cache,
    ];
    const format = selectFormat(opts.format, { table: TABLE });
    ctx.out(renderList(format, lines.map(row), { headers: { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' } }));
  },
};
export default command;
