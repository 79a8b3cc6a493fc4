// `minidock network disconnect NETWORK CONTAINER`
import type { Command } from 'commander';
import { disconnectNetwork } from '../../runtime/network/index.js';
import { ContainerStore } from '../../runtime/store.js';
import type { CommandModule } from '../context.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd.description('Disconnect a container from a network').usage('[OPTIONS] NETWORK CONTAINER').argument('<network>').argument('<container>').option('-f, --force', 'Force the container to disconnect from a network');
  },
  async action(ctx, [network, ref]) {
    const engine = ctx.engine();
    const store = new ContainerStore(engine);
    const { container } = store.get(ref);
    await store.locked(container.Id, () => disconnectNetwork(engine, network, container));
  },
};
export default command;
