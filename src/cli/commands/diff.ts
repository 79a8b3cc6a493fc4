// `minidock diff CONTAINER`: `A`/`C`/`D` lines for what the container added, changed and
// deleted, in docker's order (src/runtime/diff.ts).
import type { Command } from 'commander';
import { containerChanges } from '../../runtime/diff.js';
import { ContainerStore } from '../../runtime/store.js';
import type { CommandModule } from '../context.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd.description("Inspect changes to files or directories on a container's filesystem").usage('CONTAINER').argument('<container>');
  },
  async action(ctx, [ref]) {
    const engine = ctx.engine();
    const found = new ContainerStore(engine).find(ref);
    if (!found) {
      ctx.err(`Error response from daemon: No such container: ${ref}`);
      return 1;
    }
    const changes = await containerChanges(engine, found.container);
    ctx.out(changes.map((c) => `${c.kind} ${c.path}`).join('\n'));
  },
};
export default command;
