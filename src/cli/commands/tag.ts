// `minidock tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]`
import type { Command } from 'commander';
import { parseReference } from '../../image/reference.js';
import { ImageStore } from '../../image/store/store.js';
import type { CommandModule } from '../context.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd.description('Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE').usage('SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]').argument('<source>').argument('<target>');
  },
  async action(ctx, [source, target]) {
    const ref = parseReference(target).withDefaultTag();
    const store = new ImageStore(ctx.engine());
    const rec = store.resolve(source);
    await store.tag(rec.id, ref.toString());
  },
};
export default command;
