// `minidock system reset [-f]` (podman's verb): remove every container (killing running ones),
// then every host artefact of this root — bridges, veths, netns, firewall table, dnsmasq —
// and finally the root's contents: images, volumes, networks, build cache.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { removeContainer } from '../../runtime/lifecycle/remove.js';
import { resetNetworking } from '../../runtime/network/index.js';
import { ContainerStore } from '../../runtime/store.js';
import type { CommandModule } from '../context.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd.description('Reset minidock storage back to its initial state').option('-f, --force', 'Do not prompt for confirmation');
  },
  async action(ctx, _args, opts) {
    const engine = ctx.engine();
    if (!opts.force) {
      process.stderr.write(`WARNING! This will remove all containers, images, volumes and networks of ${engine.paths.root}.\nAre you sure you want to continue? [y/N] `);
      const answer = await new Promise<string>((resolve) => process.stdin.once('data', (d) => resolve(String(d).trim())).once('end', () => resolve('')));
      if (!/^y(es)?$/i.test(answer)) return 0;
    }
    const store = new ContainerStore(engine);
    let failed = 0;
    for (const { container } of store.list()) {
      await removeContainer(engine, store, container, { force: true, volumes: true }).catch((err: Error) => {
        failed++;
        ctx.err(`Error removing container ${container.Id.slice(0, 12)}: ${err.message}`);
      });
    }
    await resetNetworking(engine);
    let names: string[] = [];
    try {
      names = readdirSync(engine.paths.root);
    } catch {
      names = [];
    }
    for (const n of names) rmSync(join(engine.paths.root, n), { recursive: true, force: true });
    return failed ? 1 : 0;
  },
};
export default command;
