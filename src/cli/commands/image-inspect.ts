// `minidock image inspect [-f FORMAT] IMAGE…`
import type { Command } from 'commander';
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
    const missing: string[] = [];
    for (const n of names) {
      const rec = store.find(n);
      if (rec) found.push(await inspectImage(store, rec));
      else missing.push(n);
    }
    ctx.out(renderInspect(found, opts.format));
    for (const m of missing) ctx.err(`Error response from daemon: No such image: ${m}`);
    return missing.length ? 1 : 0;
  },
};
export default command;
