// `minidock logs [-f] [--tail N] [-t] [--since] [--until] CONTAINER`
import type { Command } from 'commander';
import { liveState } from '../../runtime/lifecycle/status.js';
import { readLines, selectLines, type LogLine } from '../../runtime/logs.js';
import { containerPaths } from '../../runtime/prepare.js';
import { ContainerStore } from '../../runtime/store.js';
import type { CommandModule } from '../context.js';
import { parseTimestamp } from '../parse/timestamp.js';
import { usageError } from '../../errors.js';

function emit(l: LogLine, timestamps: boolean): void {
  const out = l.stream === 'stderr' ? process.stderr : process.stdout;
  out.write(timestamps ? `${l.time} ${l.text}` : l.text);
}

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Fetch the logs of a container')
      .usage('[OPTIONS] CONTAINER')
      .argument('<container>')
      .option('--details', 'Show extra details provided to logs')
      .option('-f, --follow', 'Follow log output')
      .option('--since <string>', 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)')
      .option('-n, --tail <string>', 'Number of lines to show from the end of the logs', 'all')
      .option('-t, --timestamps', 'Show timestamps')
      .option('--until <string>', 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)');
  },
  async action(ctx, [ref], opts) {
    const engine = ctx.engine();
    const store = new ContainerStore(engine);
    const { container } = store.get(ref);
    const p = containerPaths(engine, container.Id);
    let tail: number | undefined;
    if (opts.tail !== 'all') {
      if (!/^-?[0-9]+$/.test(opts.tail)) throw usageError(`invalid value for "tail": ${JSON.stringify(opts.tail)}`);
      tail = Number(opts.tail);
    }
    const toNs = (v: string | undefined) => (v === undefined ? undefined : parseTimestamp(v));
    const sel = { tail, sinceNs: toNs(opts.since), untilNs: toNs(opts.until) };
    let { lines, next } = readLines(p.log, 0);
    for (const l of selectLines(lines, sel)) emit(l, !!opts.timestamps);
    if (!opts.follow) return;
    // -f: keep reading until the container is no longer running and the file stops growing.
    for (;;) {
      const running = store.exists(container.Id) && ['running', 'paused', 'restarting'].includes(liveState(store.readState(container.Id), p.exitFile).Status);
      await new Promise((r) => setTimeout(r, running ? 100 : 0));
      const more = readLines(p.log, next);
      next = more.next;
      for (const l of selectLines(more.lines, { sinceNs: sel.sinceNs, untilNs: sel.untilNs })) emit(l, !!opts.timestamps);
      if (!running && more.lines.length === 0) return;
    }
  },
};
export default command;
