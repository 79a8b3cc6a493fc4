// `minidock network prune [-f] [--filter]`: user networks no container uses.
import type { Command } from 'commander';
import { NetworkStore } from '../../runtime/network/index.js';
import { collect, type CommandModule } from '../context.js';
import { NETWORK_PRUNE_FILTERS, matchLabels, parseFilters, validateFilters, values } from '../parse/filter.js';
import { parseTimestamp } from '../parse/timestamp.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd.description('Remove all unused networks').option('--filter <filter>', 'Provide filter values (e.g. "until=<timestamp>")', collect, []).option('-f, --force', 'Do not prompt for confirmation');
  },
  async action(ctx, _args, opts) {
    const filters = parseFilters(opts.filter);
    validateFilters(filters, NETWORK_PRUNE_FILTERS);
    const until = values(filters, 'until').map((u) => Number(parseTimestamp(u) / 1_000_000n));
    const names = await new NetworkStore(ctx.engine()).prune((n) => matchLabels(filters, 'label', n.Labels) && until.every((u) => (Date.parse(n.Created) || 0) < u));
    if (names.length) ctx.out(['Deleted Networks:', ...names, ''].join('\n'));
  },
};
export default command;
