// `minidock kill [-s SIGNAL] CONTAINER…`
import type { Command } from 'commander';
import { killContainer } from '../../runtime/lifecycle/stop.js';
import type { CommandModule } from '../context.js';
import { eachContainer } from '../each.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Kill one or more running containers')
      .usage('[OPTIONS] CONTAINER [CONTAINER...]')
      .argument('<containers...>')
      .option('-s, --signal <string>', 'Signal to send to the container', 'KILL');
  },
  async action(ctx, refs, opts) {
    return eachContainer(ctx, refs, (engine, store, c) => killContainer(engine, store, c, opts.signal), { concurrent: true });
  },
};
export default command;
