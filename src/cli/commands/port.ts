// `minidock port CONTAINER [PRIVATE_PORT[/PROTO]]`
import type { Command } from 'commander';
import { MinidockError } from '../../errors.js';
import { publishedPorts, renderPortLines } from '../../runtime/network/index.js';
import { ContainerStore } from '../../runtime/store.js';
import type { CommandModule } from '../context.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd.description('List port mappings or a specific mapping for the container').usage('CONTAINER [PRIVATE_PORT[/PROTO]]').argument('<container>').argument('[port]');
  },
  async action(ctx, [ref, port]) {
    const engine = ctx.engine();
    const { container } = new ContainerStore(engine).get(ref);
    const lines = renderPortLines(publishedPorts(engine, container), port);
    if (lines === undefined || (port && lines.length === 0)) throw new MinidockError(`No public port '${port}' published for ${ref}`, { kind: 'not-found' });
    ctx.out(lines.join('\n'));
  },
};
export default command;
