// `minidock unpause CONTAINER…`: the cgroup freezer.
import type { Command } from 'commander';
import { unpauseContainer } from '../../runtime/lifecycle/stop.js';
import type { CommandModule } from '../context.js';
import { eachContainer } from '../each.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd.description('Unpause all processes within one or more containers').usage('CONTAINER [CONTAINER...]').argument('<containers...>');
  },
  async action(ctx, refs) {
    return eachContainer(ctx, refs, (engine, store, c) => unpauseContainer(engine, store, c));
  },
};
export default command;
