// `minidock rmi [-f] [--no-prune] IMAGE…`: docker's untag/delete rules (src/image/remove.ts).
import type { Command } from 'commander';
import { removeImages } from '../../image/remove.js';
import { ImageStore } from '../../image/store/store.js';
import { imageUsers, snapshotsInUse } from '../../runtime/usage.js';
import type { CommandModule } from '../context.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Remove one or more images')
      .usage('[OPTIONS] IMAGE [IMAGE...]')
      .argument('<images...>')
      .option('-f, --force', 'Force removal of the image')
      .option('--no-prune', 'Do not delete untagged parents');
  },
  async action(ctx, images, opts) {
    const engine = ctx.engine();
    const store = new ImageStore(engine);
    const { events, errors } = await removeImages(store, images, {
      force: opts.force,
      noPrune: opts.prune === false,
      usersOf: imageUsers(engine),
      inUseChains: snapshotsInUse(engine),
    });
    ctx.out(events.map((e) => ('untagged' in e ? `Untagged: ${e.untagged}` : `Deleted: ${e.deleted}`)).join('\n'));
    for (const e of errors) ctx.err(`Error response from daemon: ${e.message}`);
    return errors.length ? 1 : 0;
  },
};
export default command;
