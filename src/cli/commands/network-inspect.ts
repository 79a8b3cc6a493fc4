// `minidock network inspect [-f] NETWORK…`
import type { Command } from 'commander';
import { inspectNetwork } from '../../runtime/network/index.js';
import type { CommandModule } from '../context.js';
import { renderInspect } from '../format/inspect.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd.description('Display detailed information on one or more networks').usage('[OPTIONS] NETWORK [NETWORK...]').argument('<networks...>').option('-f, --format <string>', 'Format output using a custom template');
  },
  async action(ctx, refs, opts) {
    const engine = ctx.engine();
    const found: unknown[] = [];
    let failed = 0;
    for (const r of refs) {
      try {
        found.push(await inspectNetwork(engine, r));
      } catch (err) {
        failed++;
        ctx.err(`Error response from daemon: ${(err as Error).message}`);
      }
    }
    ctx.out(renderInspect(found, opts.format));
    return failed ? 1 : 0;
  },
};
export default command;
