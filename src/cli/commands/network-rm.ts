// `minidock network rm NETWORK…`
import type { Command } from 'commander';
import { NetworkStore } from '../../runtime/network/index.js';
import type { CommandModule } from '../context.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd.description('Remove one or more networks').usage('NETWORK [NETWORK...]').argument('<networks...>').option('-f, --force', 'Do not error if the network does not exist');
  },
  async action(ctx, refs, opts) {
    const store = new NetworkStore(ctx.engine());
    let failed = 0;
    for (const r of refs) {
      try {
        await store.remove(r);
        ctx.out(r);
      } catch (err) {
        if (opts.force && (err as { kind?: string }).kind === 'not-found') continue;
        failed++;
        ctx.err(`Error response from daemon: ${(err as Error).message}`);
      }
    }
    return failed ? 1 : 0;
  },
};
export default command;
