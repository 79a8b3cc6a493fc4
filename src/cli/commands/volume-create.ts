// `minidock volume create [--label K=V] [NAME]`
import type { Command } from 'commander';
import { createVolume } from '../../runtime/volumes/index.js';
import { collect, type CommandModule } from '../context.js';
import { labelsToMap, parseLabelFlag } from '../parse/env.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Create a volume')
      .usage('[OPTIONS] [VOLUME]')
      .argument('[name]')
      .option('-d, --driver <string>', 'Specify volume driver name', 'local')
      .option('--label <list>', 'Set metadata for a volume', collect, [])
      .option('-o, --opt <map>', 'Set driver specific options', collect, [])
      .option('--name <string>', 'Specify volume name');
  },
  async action(ctx, [name], opts) {
    const options = Object.fromEntries((opts.opt as string[]).map((o) => [o.split('=')[0], o.split('=').slice(1).join('=')]));
    const v = await createVolume(ctx.engine(), { name: name ?? opts.name, driver: opts.driver, labels: labelsToMap((opts.label as string[]).map(parseLabelFlag)), options });
    ctx.out(v.Name);
  },
};
export default command;
