// `minidock create [OPTIONS] IMAGE [COMMAND] [ARG...]`: the container, not started.
import type { Command } from 'commander';
import { EXIT_ENGINE } from '../../errors.js';
import { createContainer } from '../../runtime/create.js';
import type { CommandModule } from '../context.js';
import { createOptionsFromFlags, defineCreateFlags } from './create-flags.js';

const command: CommandModule = {
  engineExitCode: EXIT_ENGINE,
  define(cmd: Command) {
    defineCreateFlags(cmd.description('Create a new container').usage('[OPTIONS] IMAGE [COMMAND] [ARG...]'));
  },
  async action(ctx, [image, ...cmdArgs], opts) {
    const c = await createContainer(ctx.engine(), { ...createOptionsFromFlags(opts), imageName: image, cmd: cmdArgs });
    ctx.out(c.Id);
  },
};
export default command;
