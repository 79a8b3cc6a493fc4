// `minidock volume rm [-f] VOLUME…`
import type { Command } from 'commander';
import { removeVolume } from '../../runtime/volumes/index.js';
import type { CommandModule } from '../context.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd.description('Remove one or more volumes').usage('[OPTIONS] VOLUME [VOLUME...]').argument('<volumes...>').option('-f, --force', 'Force the removal of one or more volumes');
  },
  async action(ctx, names, opts) {
    const engine = ctx.engine();
    let failed = 0;
    for (const n of names) {
      try {
        if (await removeVolume(engine, n, { force: opts.force })) ctx.out(n);
      } catch (err) {
        failed++;
        ctx.err(`Error response from daemon: ${(err as Error).message}`);
      }
    }
    return failed ? 1 : 0;
  },
};
export default command;
