// `minidock volume inspect [-f] VOLUME…`
import type { Command } from 'commander';
import { inspectVolume } from '../../runtime/volumes/index.js';
import type { CommandModule } from '../context.js';
import { renderInspect } from '../format/inspect.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd.description('Display detailed information on one or more volumes').usage('[OPTIONS] VOLUME [VOLUME...]').argument('<volumes...>').option('-f, --format <string>', 'Format output using a custom template');
  },
  async action(ctx, names, opts) {
    const engine = ctx.engine();
    const found: unknown[] = [];
    let failed = 0;
    for (const n of names) {
      try {
        found.push(inspectVolume(engine, n));
      } catch (err) {
        failed++;
        ctx.err(`Error response from daemon: ${(err as Error).message}`);
      }
    }
    ctx.out(renderInspect(found, opts.format));
    return failed ? 1 : 0;
  },
};
export default command;
