// `minidock rm [-f] [-v] CONTAINER…`
import type { Command } from 'commander';
import { removeContainer } from '../../runtime/lifecycle/remove.js';
import type { CommandModule } from '../context.js';
import { eachContainer } from '../each.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Remove one or more containers')
      .usage('[OPTIONS] CONTAINER [CONTAINER...]')
      .argument('<containers...>')
      .option('-f, --force', 'Force the removal of a running container (uses SIGKILL)')
      .option('-v, --volumes', 'Remove anonymous volumes associated with the container')
      .option('-l, --link', 'Remove the specified link (not supported)');
  },
  async action(ctx, refs, opts) {
    return eachContainer(ctx, refs, (engine, store, c) => removeContainer(engine, store, c, { force: opts.force, volumes: opts.volumes }), { concurrent: true });
  },
};
export default command;
