// `minidock top CONTAINER [ps OPTIONS]`: the host's `ps` (default `-ef`), only the lines of
// processes in the container's cgroup — as docker does it.
import type { Command } from 'commander';
import { openCgroups, parseCgroupPlan } from '../../cgroups/index.js';
import { conflict } from '../../errors.js';
import { liveState } from '../../runtime/lifecycle/status.js';
import { containerPaths } from '../../runtime/prepare.js';
import { ContainerStore } from '../../runtime/store.js';
import type { CommandModule } from '../context.js';
import { alignTabs } from '../format/table.js';

/** Columns of `ps` output, splitting the last (CMD) column on nothing. */
export function filterPs(output: string, pids: Set<number>): string[] | undefined {
  const [header, ...lines] = output.split('\n').filter(Boolean);
  const cols = header.trim().split(/\s+/);
  const pidCol = cols.indexOf('PID');
  if (pidCol < 0) return undefined;
  const rows = [cols.join('\t')];
  for (const line of lines) {
    const fields = line.trim().split(/\s+/);
    if (!pids.has(Number(fields[pidCol]))) continue;
    rows.push([...fields.slice(0, cols.length - 1), fields.slice(cols.length - 1).join(' ')].join('\t'));
  }
  return rows;
}

const command: CommandModule = {
  define(cmd: Command) {
    cmd.description('Display the running processes of a container').usage('CONTAINER [ps OPTIONS]').argument('<container>').argument('[psArgs...]').passThroughOptions().allowUnknownOption();
  },
  async action(ctx, [ref, ...psArgs]) {
    const engine = ctx.engine();
    const store = new ContainerStore(engine);
    const { container: c, state } = store.get(ref);
    const s = liveState(state, containerPaths(engine, c.Id).exitFile);
    if (s.Status !== 'running' && s.Status !== 'paused') throw conflict(`container ${c.Id} is not running`);
    const pids = new Set(await openCgroups().pids(parseCgroupPlan(s.Cgroup)));
    const r = await engine.host.run(['ps', ...(psArgs.length ? psArgs : ['-ef'])], { why: 'the host\'s process list' });
    const rows = filterPs(r.stdout, pids);
    if (!rows) throw conflict('Couldn\'t find PID field in ps output');
    ctx.out(alignTabs(rows.join('\n') + '\n'));
  },
};
export default command;
