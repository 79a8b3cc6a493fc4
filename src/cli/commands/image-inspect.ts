// `minidock image inspect [-f FORMAT] IMAGE…`
import type { Command } from 'commander';
import { MinidockError } from '../../errors.js';
import { inspectImage } from '../../image/inspect.js';
import { ImageStore } from '../../image/store/store.js';
import type { CommandModule } from '../context.js';
import { renderInspect } from '../format/inspect.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Display detailed information on one or more images')
      .usage('[OPTIONS] IMAGE [IMAGE...]')
      .argument('<images...>')
      .option('-f, --format <string>', "Format output using a custom template: 'json' or a Go template");
  },
  async action(ctx, names, opts) {
    const store = new ImageStore(ctx.engine());
    const found: unknown[] = [];
    const errors: string[] = [];
    for (const n of names) {
      try {
        found.push(await inspectImage(store, store.resolve(n)));
      } catch (err) {
        if (!(err instanceof MinidockError)) throw err;
        errors.push(err.message);
      }
    }
    ctx.out(renderInspect(found, opts.format));
    // docker prints what it found, then one daemon error per name it could not inspect.
    for (const m of errors) ctx.err(`Error response from daemon: ${m}`);
    return errors.length ? 1 : 0;
  },
};
export default command;
