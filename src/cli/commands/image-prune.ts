// `minidock image prune [-a] [-f] [--filter]`: dangling images (or with -a every unused one).
import type { Command } from 'commander';
import { pruneImages } from '../../image/remove.js';
import { ImageStore } from '../../image/store/store.js';
import { imageUsers, snapshotsInUse } from '../../runtime/usage.js';
import { collect, type CommandModule } from '../context.js';
import { humanSize } from '../format/units.js';
import { IMAGE_PRUNE_FILTERS, matchLabels, parseFilters, validateFilters, values } from '../parse/filter.js';
import { parseTimestamp } from '../parse/timestamp.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Remove unused images')
      .option('-a, --all', 'Remove all unused images, not just dangling ones')
      .option('--filter <filter>', 'Provide filter values (e.g. "until=<timestamp>")', collect, [])
      .option('-f, --force', 'Do not prompt for confirmation');
  },
  async action(ctx, _args, opts) {
    const filters = parseFilters(opts.filter);
    validateFilters(filters, IMAGE_PRUNE_FILTERS);
    const until = values(filters, 'until').map((u) => Number(parseTimestamp(u) / 1_000_000n));
    const engine = ctx.engine();
    const store = new ImageStore(engine);
    // Configs are read only for label filters; a corrupt one must not stop a prune (it is
    // usually how the user gets rid of it).
    const labelled = new Map<string, Record<string, string>>();
    if (filters.has('label') || filters.has('label!')) {
      for (const r of store.list()) labelled.set(r.id, (await store.config(r).catch(() => undefined))?.config?.Labels ?? {});
    }
    const result = await pruneImages(store, {
      all: opts.all,
      usersOf: imageUsers(engine),
      inUseChains: snapshotsInUse(engine),
      filter: (r) => {
        const labels = labelled.get(r.id);
        if (!matchLabels(filters, 'label', labels)) return false;
        for (const neg of values(filters, 'label!')) {
          const [k, v] = neg.split('=');
          if (labels && k in labels && (v === undefined || labels[k] === v)) return false;
        }
        const created = Date.parse(r.created ?? '') || 0;
        return until.every((u) => created < u);
      },
    });
    const lines: string[] = [];
    if (result.deleted.length) {
      lines.push('Deleted Images:');
      for (const e of result.deleted) lines.push('untagged' in e ? `untagged: ${e.untagged}` : `deleted: ${e.deleted}`);
      lines.push('');
    }
    lines.push(`Total reclaimed space: ${humanSize(result.reclaimed)}`); // go-units HumanSize, as docker
    ctx.out(lines.join('\n'));
  },
};
export default command;
