// `minidock rename CONTAINER NEW_NAME`
import type { Command } from 'commander';
import { ContainerStore } from '../../runtime/store.js';
import type { CommandModule } from '../context.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd.description('Rename a container').usage('CONTAINER NEW_NAME').argument('<container>').argument('<newName>');
  },
  async action(ctx, [ref, newName]) {
    const store = new ContainerStore(ctx.engine());
    const { container } = store.get(ref);
    await store.rename(container.Id, newName);
  },
};
export default command;
