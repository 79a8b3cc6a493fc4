// `minidock restart [-t SECONDS] CONTAINER…`: stop (if running), then start detached.
import type { Command } from 'commander';
import { finalizeExit } from '../../runtime/lifecycle/exit.js';
import { startContainer } from '../../runtime/lifecycle/start.js';
import { stopContainer } from '../../runtime/lifecycle/stop.js';
import type { CommandModule } from '../context.js';
import { eachContainer } from '../each.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Restart one or more containers')
      .usage('[OPTIONS] CONTAINER [CONTAINER...]')
      .argument('<containers...>')
      .option('-s, --signal <string>', 'Signal to send to the container')
      .option('-t, --timeout <int>', 'Seconds to wait before killing the container', (v) => Number.parseInt(v, 10));
  },
  async action(ctx, refs, opts) {
    return eachContainer(
      ctx,
      refs,
      async (engine, store, c) => {
        await stopContainer(engine, store, c, { timeout: opts.timeout, signal: opts.signal });
        await store.locked(c.Id, async () => {
          const state = await finalizeExit(engine, store, c.Id);
          await startContainer(engine, store, c, { ...state, ManuallyStopped: false }, { kind: 'detach' });
        });
      },
      { concurrent: true },
    );
  },
};
export default command;
