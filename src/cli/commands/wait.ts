// `minidock wait CONTAINER…`: block until each stops, print its exit code.
import type { Command } from 'commander';
import { waitContainer } from '../../runtime/lifecycle/stop.js';
import type { CommandModule } from '../context.js';
import { eachContainer } from '../each.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd.description('Block until one or more containers stop, then print their exit codes').usage('CONTAINER [CONTAINER...]').argument('<containers...>');
  },
  async action(ctx, refs) {
    return eachContainer(ctx, refs, async (engine, store, c) => ctx.out(String(await waitContainer(engine, store, c))), { print: false });
  },
};
export default command;
