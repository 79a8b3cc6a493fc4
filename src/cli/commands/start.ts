// `minidock start [-a] [-i] CONTAINER…`
import type { Command } from 'commander';
import { EXIT_ENGINE, MinidockError, usageError } from '../../errors.js';
import { finalizeExit } from '../../runtime/lifecycle/exit.js';
import { startContainer } from '../../runtime/lifecycle/start.js';
import { ContainerStore } from '../../runtime/store.js';
import type { CommandModule } from '../context.js';
import { runAttached } from './run.js';

const command: CommandModule = {
  engineExitCode: EXIT_ENGINE,
  define(cmd: Command) {
    cmd
      .description('Start one or more stopped containers')
      .usage('[OPTIONS] CONTAINER [CONTAINER...]')
      .argument('<containers...>')
      .option('-a, --attach', "Attach STDOUT/STDERR and forward signals")
      .option('-i, --interactive', "Attach container's STDIN");
  },
  async action(ctx, refs, opts) {
    const engine = ctx.engine();
    const store = new ContainerStore(engine);
    if (opts.attach || opts.interactive) {
      if (refs.length > 1) throw usageError('you cannot start and attach multiple containers at once');
      const { container } = store.get(refs[0]);
      const state = await store.locked(container.Id, () => finalizeExit(engine, store, container.Id));
      if (state.Status === 'running' || state.Status === 'paused') throw new MinidockError(`container ${container.Id.slice(0, 12)} is already running; attaching to it is not supported`, { kind: 'conflict' });
      return runAttached(engine, store, container, !!opts.interactive);
    }
    let failed = 0;
    for (const ref of refs) {
      try {
        const { container } = store.get(ref);
        await store.locked(container.Id, async () => {
          const state = await finalizeExit(engine, store, container.Id);
          if (state.Status === 'running' || state.Status === 'paused') return; // docker: a no-op
          await startContainer(engine, store, container, { ...state, ManuallyStopped: false }, { kind: 'detach' });
        });
        ctx.out(ref);
      } catch (err) {
        failed++;
        ctx.err(`Error response from daemon: ${(err as Error).message}`);
      }
    }
    if (failed) ctx.err(`Error: failed to start containers: ${refs.length === 1 ? refs[0] : `${failed} of ${refs.length}`}`);
    return failed ? 1 : 0;
  },
};
export default command;
