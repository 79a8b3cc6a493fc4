// `minidock network connect [--alias] [--ip] NETWORK CONTAINER`
import type { Command } from 'commander';
import { connectNetwork } from '../../runtime/network/index.js';
import { ContainerStore } from '../../runtime/store.js';
import { collect, type CommandModule } from '../context.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Connect a container to a network')
      .usage('[OPTIONS] NETWORK CONTAINER')
      .argument('<network>')
      .argument('<container>')
      .option('--alias <list>', 'Add network-scoped alias for the container', collect, [])
      .option('--ip <string>', 'IPv4 address (e.g., "172.30.100.104")');
  },
  async action(ctx, [network, ref], opts) {
    const engine = ctx.engine();
    const store = new ContainerStore(engine);
    const { container } = store.get(ref);
    await store.locked(container.Id, () => connectNetwork(engine, network, container, { aliases: opts.alias, ip: opts.ip }));
  },
};
export default command;
