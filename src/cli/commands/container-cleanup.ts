// `minidock container cleanup CONTAINER`: what the shim runs when a detached container's
// process has ended (podman has the same verb): record the exit, free the cgroups, apply
// --rm and the restart policy. Safe to run by hand, and more than once.
import type { Command } from 'commander';
import { containerExited } from '../../runtime/lifecycle/exited.js';
import { ContainerStore } from '../../runtime/store.js';
import type { CommandModule } from '../context.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd.description('Clean up after a container whose process has ended').usage('CONTAINER').argument('<container>');
  },
  async action(ctx, [ref]) {
    const engine = ctx.engine();
    const store = new ContainerStore(engine);
    const e = store.find(ref);
    if (!e) return 0; // already removed (--rm, or rm -f raced us): nothing to do
    await containerExited(engine, store, e.container.Id);
  },
};
export default command;
