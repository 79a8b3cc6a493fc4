// `minidock images` / `image ls`: REPOSITORY TAG IMAGE ID CREATED SIZE, as docker prints them.
import type { Command } from 'commander';
import { listImages } from '../../image/list.js';
import { ImageStore } from '../../image/store/store.js';
import { collect, type CommandModule } from '../context.js';
import { renderList, selectFormat } from '../format/formatter.js';
import * as H from '../format/headers.js';
import { truncateID } from '../format/status.js';
import { createdSince, formatGoTimeString, humanSizeWithPrecision, nanosFromMillis } from '../format/units.js';
import { IMAGE_LIST_FILTERS, parseFilters, validateFilters } from '../parse/filter.js';

const TABLE = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
const TABLE_DIGESTS = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';

const HEADERS = {
  ID: H.IMAGE_ID,
  Repository: H.REPOSITORY,
  Tag: H.TAG,
  Digest: H.DIGEST,
  CreatedSince: H.CREATED,
  CreatedAt: H.CREATED_AT,
  Size: H.SIZE,
  Containers: H.CONTAINERS,
  VirtualSize: H.SIZE,
  SharedSize: H.SHARED_SIZE,
  UniqueSize: H.UNIQUE_SIZE,
};

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('List images')
      .usage('[OPTIONS] [REPOSITORY[:TAG]]')
      .argument('[reference]')
      .option('-a, --all', 'Show all images (default hides intermediate images)')
      .option('--digests', 'Show digests')
      .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect, [])
      .option('--format <string>', "Format output using a custom template: 'table', 'table TEMPLATE', 'json', 'TEMPLATE'")
      .option('--no-trunc', "Don't truncate output")
      .option('-q, --quiet', 'Only show image IDs');
  },
  async action(ctx, [reference], opts) {
    const filters = parseFilters(opts.filter);
    validateFilters(filters, IMAGE_LIST_FILTERS);
    const store = new ImageStore(ctx.engine());
    const rows = await listImages(store, { all: opts.all, filters, reference });
    const trunc = opts.trunc !== false;
    const view = rows.map(({ rec, repository, tag, digest }) => {
      // The API gives Created in whole seconds: CreatedAt has no fraction, as in docker.
      const created = Math.floor((Date.parse(rec.created ?? '') || 0) / 1000) * 1000;
      const size = humanSizeWithPrecision(rec.size, 3);
      return {
        ID: trunc ? truncateID(rec.id) : rec.id,
        Repository: repository,
        Tag: tag,
        Digest: digest,
        CreatedSince: created ? createdSince(created) : 'N/A',
        CreatedAt: created ? formatGoTimeString(nanosFromMillis(created)) : '',
        Size: size,
        VirtualSize: size,
        Containers: 'N/A',
        SharedSize: 'N/A',
        UniqueSize: 'N/A',
      };
    });
    const format = selectFormat(opts.format, { table: opts.digests ? TABLE_DIGESTS : TABLE, quiet: opts.quiet, quietOverridesCustom: false });
    ctx.out(renderList(format, view, { headers: HEADERS }));
  },
};
export default command;
