// `minidock volume prune [-a] [-f] [--filter]`: unused anonymous volumes (all unused with -a).
import type { Command } from 'commander';
import { pruneVolumes, renderPruneReport } from '../../runtime/volumes/index.js';
import { collect, type CommandModule } from '../context.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Remove unused local volumes')
      .option('-a, --all', 'Remove all unused volumes, not just anonymous ones')
      .option('--filter <filter>', "Provide filter values (e.g. 'label=<label>')", collect, [])
      .option('-f, --force', 'Do not prompt for confirmation');
  },
  async action(ctx, _args, opts) {
    ctx.out(renderPruneReport(await pruneVolumes(ctx.engine(), { all: opts.all, filters: opts.filter })));
  },
};
export default command;
