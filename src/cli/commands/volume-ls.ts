// `minidock volume ls [-q] [--filter] [--format]`
import type { Command } from 'commander';
import { listVolumes } from '../../runtime/volumes/index.js';
import { collect, type CommandModule } from '../context.js';
import { renderList, selectFormat } from '../format/formatter.js';
import { DEFAULT_VOLUME_TABLE, VOLUME_HEADERS } from '../format/headers.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('List volumes')
      .option('-f, --filter <filter>', "Provide filter values (e.g. 'dangling=true')", collect, [])
      .option('--format <string>', 'Format output using a custom template')
      .option('-q, --quiet', 'Only display volume names');
  },
  async action(ctx, _args, opts) {
    const rows = listVolumes(ctx.engine(), opts.filter);
    const format = selectFormat(opts.format, { table: DEFAULT_VOLUME_TABLE, quiet: opts.quiet, quietFormat: '{{.Name}}' });
    ctx.out(renderList(format, rows, { headers: VOLUME_HEADERS, typeName: '*formatter.volumeContext' }));
  },
};
export default command;
