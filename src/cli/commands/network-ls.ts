// `minidock network ls [-q] [--no-trunc] [--filter] [--format]`
import type { Command } from 'commander';
import { NetworkStore } from '../../runtime/network/index.js';
import { collect, type CommandModule } from '../context.js';
import { renderList, selectFormat } from '../format/formatter.js';
import { DEFAULT_NETWORK_TABLE, NETWORK_HEADERS } from '../format/headers.js';
import { truncateID } from '../format/status.js';
import { formatGoTimeString, nanosFromMillis } from '../format/units.js';
import { NETWORK_LIST_FILTERS, exactMatch, fuzzyMatch, matchLabels, parseFilters, regexMatch, validateFilters, values } from '../parse/filter.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('List networks')
      .option('-f, --filter <filter>', "Provide filter values (e.g. 'driver=bridge')", collect, [])
      .option('--format <string>', 'Format output using a custom template')
      .option('--no-trunc', 'Do not truncate the output')
      .option('-q, --quiet', 'Only display network IDs');
  },
  async action(ctx, _args, opts) {
    const filters = parseFilters(opts.filter);
    validateFilters(filters, NETWORK_LIST_FILTERS);
    const predefined = new Set(['bridge', 'host', 'none']);
    const nets = new NetworkStore(ctx.engine())
      .list()
      .filter(
        (n) =>
          regexMatch(filters, 'name', n.Name) &&
          fuzzyMatch(filters, 'id', n.Id) &&
          exactMatch(filters, 'driver', n.Driver) &&
          matchLabels(filters, 'label', n.Labels) &&
          (!filters.has('type') || values(filters, 'type').some((t) => (t === 'builtin') === predefined.has(n.Name))),
      )
      .sort((a, b) => a.Name.localeCompare(b.Name));
    const trunc = opts.trunc !== false;
    const rows = nets.map((n) => ({
      ID: trunc ? truncateID(n.Id) : n.Id,
      Name: n.Name,
      Driver: n.Driver,
      Scope: n.Scope,
      IPv6: String(n.EnableIPv6),
      Internal: String(n.Internal),
      Labels: Object.entries(n.Labels).map(([k, v]) => `${k}=${v}`).join(','),
      CreatedAt: formatGoTimeString(nanosFromMillis(Date.parse(n.Created) || 0)),
    }));
    const format = selectFormat(opts.format, { table: DEFAULT_NETWORK_TABLE, quiet: opts.quiet });
    ctx.out(renderList(format, rows, { headers: NETWORK_HEADERS }));
  },
};
export default command;
