// `minidock inspect [--type] [-f] NAME|ID…`: containers first, then images (docker's order),
// and volumes/networks once they exist.
import type { Command } from 'commander';
import { MinidockError } from '../../errors.js';
import { inspectImage } from '../../image/inspect.js';
import { ImageStore } from '../../image/store/store.js';
import { inspectContainer } from '../../runtime/inspect.js';
import { liveState } from '../../runtime/lifecycle/status.js';
import { containerPaths } from '../../runtime/prepare.js';
import { ContainerStore } from '../../runtime/store.js';
import { inspectNetwork, networkSettings } from '../../runtime/network/index.js';
import { inspectVolume } from '../../runtime/volumes/index.js';
import type { CommandModule } from '../context.js';
import { renderInspect } from '../format/inspect.js';

const TYPES = ['container', 'image', 'volume', 'network'];

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Return low-level information on minidock objects')
      .usage('[OPTIONS] NAME|ID [NAME|ID...]')
      .argument('<names...>')
      .option('-f, --format <string>', "Format output using a custom template: 'json' or a Go template")
      .option('-s, --size', 'Display total file sizes if the type is container')
      .option('--type <string>', 'Only inspect objects of the given type');
  },
  async action(ctx, names, opts) {
    if (opts.type && !TYPES.includes(opts.type)) throw new MinidockError(`"${opts.type}" is not a valid value for --type`, { kind: 'usage' });
    const engine = ctx.engine();
    const containers = new ContainerStore(engine);
    const images = new ImageStore(engine);
    const found: unknown[] = [];
    const missing: string[] = [];
    for (const n of names) {
      if (!opts.type || opts.type === 'container') {
        const e = containers.find(n);
        if (e) {
          found.push(inspectContainer(engine, e.container, liveState(e.state, containerPaths(engine, e.container.Id).exitFile), { networkSettings: networkSettings(engine, e.container) }));
          continue;
        }
      }
      if (!opts.type || opts.type === 'image') {
        const rec = images.find(n);
        if (rec) {
          found.push(await inspectImage(images, rec));
          continue;
        }
      }
      if (!opts.type || opts.type === 'volume') {
        try {
          found.push(inspectVolume(engine, n));
          continue;
        } catch {
          /* not a volume */
        }
      }
      if (!opts.type || opts.type === 'network') {
        try {
          found.push(await inspectNetwork(engine, n));
          continue;
        } catch {
          /* not a network */
        }
      }
      missing.push(n);
    }
    ctx.out(renderInspect(found, opts.format));
    for (const m of missing) ctx.err(`Error: No such object: ${m}`);
    return missing.length ? 1 : 0;
  },
};
export default command;
