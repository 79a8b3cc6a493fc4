// `minidock network create [--subnet] [--gateway] [--internal] [--label] NAME`
import type { Command } from 'commander';
import { NetworkStore } from '../../runtime/network/index.js';
import { collect, type CommandModule } from '../context.js';
import { labelsToMap, parseLabelFlag } from '../parse/env.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Create a network')
      .usage('[OPTIONS] NETWORK')
      .argument('<name>')
      .option('-d, --driver <string>', 'Driver to manage the Network', 'bridge')
      .option('--subnet <list>', 'Subnet in CIDR format that represents a network segment', collect, [])
      .option('--gateway <list>', 'IPv4 or IPv6 Gateway for the master subnet', collect, [])
      .option('--internal', 'Restrict external access to the network')
      .option('--attachable', 'Enable manual container attachment')
      .option('--label <list>', 'Set metadata on a network', collect, []);
  },
  async action(ctx, [name], opts) {
    const net = await new NetworkStore(ctx.engine()).create({
      name,
      driver: opts.driver,
      subnet: opts.subnet[0],
      gateway: opts.gateway[0],
      internal: !!opts.internal,
      attachable: !!opts.attachable,
      labels: labelsToMap((opts.label as string[]).map(parseLabelFlag)),
    });
    ctx.out(net.Id);
  },
};
export default command;
