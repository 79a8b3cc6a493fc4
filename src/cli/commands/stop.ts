// `minidock stop [-s SIGNAL] [-t SECONDS] CONTAINER…`
import type { Command } from 'commander';
import { stopContainer } from '../../runtime/lifecycle/stop.js';
import type { CommandModule } from '../context.js';
import { eachContainer } from '../each.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Stop one or more running containers')
      .usage('[OPTIONS] CONTAINER [CONTAINER...]')
      .argument('<containers...>')
      .option('-s, --signal <string>', 'Signal to send to the container')
      .option('-t, --timeout <int>', 'Seconds to wait before killing the container', (v) => Number.parseInt(v, 10));
  },
  async action(ctx, refs, opts) {
    return eachContainer(ctx, refs, (engine, store, c) => stopContainer(engine, store, c, { timeout: opts.timeout, signal: opts.signal }), { concurrent: true });
  },
};
export default command;
