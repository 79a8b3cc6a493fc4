// `minidock history [--no-trunc] [-q] [-H] [--format] IMAGE`
import type { Command } from 'commander';
import { imageHistory } from '../../image/inspect.js';
import { ImageStore } from '../../image/store/store.js';
import { usageError } from '../../errors.js';
import type { CommandModule } from '../context.js';
import { parseBool } from '../parse/strconv.js';
import { renderList, selectFormat } from '../format/formatter.js';
import * as H from '../format/headers.js';
import { ellipsis, truncateID } from '../format/status.js';
import { createdSince, formatRFC3339Nano, humanSizeWithPrecision, nanosFromMillis } from '../format/units.js';

const DEFAULT = 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';

/**
 * `-H`/`--human` is a Go bool flag: `-H=false`, `--human=0`… (commander hands the short form
 * over as "=false"). Anything strconv.ParseBool rejects is a flag error, as in docker.
 */
function parseHumanFlag(v: unknown): boolean {
  if (v === undefined || typeof v === 'boolean') return v ?? true;
  const s = String(v).replace(/^=/, '');
  try {
    return parseBool(s);
  } catch (err) {
    throw usageError(`invalid argument ${JSON.stringify(s)} for "-H, --human" flag: ${(err as Error).message}`);
  }
}

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Show the history of an image')
      .usage('[OPTIONS] IMAGE')
      .argument('<image>')
      .option('--format <string>', 'Format output using a custom template')
      .option('-H, --human [bool]', 'Print sizes and dates in human readable format', true)
      .option('--no-trunc', "Don't truncate output")
      .option('-q, --quiet', 'Only show image IDs');
  },
  async action(ctx, [image], opts) {
    const store = new ImageStore(ctx.engine());
    const rows = await imageHistory(store, store.resolve(image));
    const human = parseHumanFlag(opts.human);
    const trunc = opts.trunc !== false;
    const view = rows.map((r) => {
      // The API gives Created in whole seconds; CreatedAt is RFC 3339 without a fraction.
      const created = r.created ? Math.floor(Date.parse(r.created) / 1000) * 1000 : NaN;
      const createdAt = Number.isFinite(created) ? formatRFC3339Nano(nanosFromMillis(created)) : '';
      return {
        ID: r.id === '<missing>' || !trunc ? r.id : truncateID(r.id),
        CreatedSince: createdAt ? (human ? createdSince(created) : createdAt) : 'N/A',
        CreatedAt: createdAt,
        CreatedBy: trunc ? ellipsis(r.createdBy.replace(/\t/g, ' '), 45) : r.createdBy,
        Size: human ? humanSizeWithPrecision(r.size, 3) : String(r.size),
        Comment: r.comment,
      };
    });
    const format = selectFormat(opts.format, { table: DEFAULT, quiet: opts.quiet });
    ctx.out(
      renderList(format, view, {
        headers: { ID: H.IMAGE, CreatedSince: H.CREATED, CreatedAt: H.CREATED_AT, CreatedBy: 'CREATED BY', Size: H.SIZE, Comment: 'COMMENT' },
      }),
    );
  },
};
export default command;
