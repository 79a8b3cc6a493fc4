// `minidock container prune [-f] [--filter until=…|label=…|label!=…]`: remove all stopped
// containers, with docker's prompt and report.
import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { pruneContainers } from '../../runtime/prune.js';
import { collect, type CommandModule } from '../context.js';
import { humanSize } from '../format/units.js';
import { CONTAINER_PRUNE_FILTERS, matchLabels, parseFilters, validateFilters, values } from '../parse/filter.js';
import { parseTimestamp } from '../parse/timestamp.js';

const WARNING = 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ';

/** docker's prompt.Confirm: one line from stdin; only `y`/`Y` goes on (EOF is no). */
async function confirm(): Promise<boolean> {
  process.stdout.write(WARNING);
  const rl = createInterface({ input: process.stdin });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    return answer.trim().toLowerCase() === 'y';
  } finally {
    rl.close();
  }
}

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Remove all stopped containers')
      .option('--filter <filter>', 'Provide filter values (e.g. "until=<timestamp>")', collect, [])
      .option('-f, --force', 'Do not prompt for confirmation');
  },
  async action(ctx, _args, opts) {
    const filters = parseFilters(opts.filter);
    validateFilters(filters, CONTAINER_PRUNE_FILTERS);
    const until = values(filters, 'until').map((u) => Number(parseTimestamp(u) / 1_000_000n));
    if (!opts.force && !(await confirm())) {
      if (!process.stdin.isTTY) process.stdout.write('\n'); // a terminal echoed the user's newline
      ctx.err('container prune has been cancelled');
      return 0;
    }
    const result = await pruneContainers(ctx.engine(), (c) => {
      if (!matchLabels(filters, 'label', c.Config.Labels)) return false;
      for (const neg of values(filters, 'label!')) {
        const eq = neg.indexOf('=');
        const k = eq < 0 ? neg : neg.slice(0, eq);
        if (Object.hasOwn(c.Config.Labels, k) && (eq < 0 || c.Config.Labels[k] === neg.slice(eq + 1))) return false;
      }
      const created = Date.parse(c.Created) || 0;
      return until.every((u) => created < u);
    });
    for (const f of result.failed) ctx.err(`Error response from daemon: failed to prune container ${f.id}: ${f.error}`);
    const lines: string[] = [];
    if (result.deleted.length) lines.push('Deleted Containers:', ...result.deleted, '');
    lines.push(`Total reclaimed space: ${humanSize(result.reclaimed)}`);
    ctx.out(lines.join('\n'));
  },
};
export default command;
