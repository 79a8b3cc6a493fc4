// `minidock cp [-a] [-L] [-q] CONTAINER:SRC_PATH DEST_PATH|-` and `… SRC_PATH|- CONTAINER:DEST_PATH`.
// Errors are printed as docker prints them ("Error response from daemon: …" for what its
// daemon would answer), exit status 1.
import type { Command } from 'commander';
import type { Readable } from 'node:stream';
import { MinidockError } from '../../errors.js';
import { copyFromContainer, copyToContainer, type CpResult } from '../../runtime/cp.js';
import { splitCpArg } from '../../runtime/files/cp-paths.js';
import { ContainerStore } from '../../runtime/store.js';
import type { CommandModule } from '../context.js';
import { humanSizeWithPrecision } from '../format/units.js';

/** Counts what passes, for the summary line of a copy from stdin. */
async function* counted(input: Readable, total: { bytes: number }): AsyncGenerator<Buffer> {
  for await (const chunk of input) {
    total.bytes += (chunk as Buffer).length;
    yield chunk as Buffer;
  }
}

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description(
        "Copy files/folders between a container and the local filesystem\n\nUse '-' as the source to read a tar archive from stdin\nand extract it to a directory destination in a container.\nUse '-' as the destination to stream a tar archive of a\ncontainer source to stdout.",
      )
      .usage('[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tminidock cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH')
      .argument('<src>')
      .argument('<dest>')
      .option('-a, --archive', 'Archive mode (copy all uid/gid information)')
      .option('-L, --follow-link', 'Always follow symbol link in SRC_PATH')
      .option('-q, --quiet', 'Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached');
  },
  async action(ctx, [source, destination], opts) {
    try {
      if (source === '') throw new MinidockError('source can not be empty', { kind: 'usage' });
      if (destination === '') throw new MinidockError('destination can not be empty', { kind: 'usage' });
      const src = splitCpArg(source);
      const dst = splitCpArg(destination);
      if (src.container !== undefined && dst.container !== undefined) throw new MinidockError('copying between containers is not supported', { kind: 'usage' });
      if (src.container === undefined && dst.container === undefined) throw new MinidockError('must specify at least one container source', { kind: 'usage' });
      const ref = (src.container ?? dst.container)!;
      const engine = ctx.engine();
      const store = new ContainerStore(engine);
      const found = store.find(ref);
      if (!found) throw new MinidockError(`No such container: ${ref}`, { kind: 'not-found', context: { daemon: true } });
      const cpOpts = { followLink: opts.followLink === true, archive: opts.archive === true };
      let result: CpResult;
      const stdin = { bytes: 0 };
      if (src.container !== undefined) {
        result = await copyFromContainer(engine, found.container, ref, src.path, dst.path === '-' ? { kind: 'stdout', out: process.stdout } : { kind: 'path', path: dst.path }, cpOpts);
      } else {
        const from = src.path === '-' ? { kind: 'stdin' as const, input: counted(process.stdin, stdin) as unknown as Readable } : { kind: 'path' as const, path: src.path };
        result = await copyToContainer(engine, found.container, ref, from, dst.path, cpOpts);
      }
      for (const w of result.warnings) ctx.err(`WARNING: ${w}`);
      // docker prints its summary only to a terminal (and never for a tar on stdout).
      const quiet = opts.quiet === true || !process.stdout.isTTY || result.shown === '-';
      if (!quiet) ctx.err(`Successfully copied ${humanSizeWithPrecision(src.path === '-' ? stdin.bytes : result.contentSize, 3)} to ${result.shown}`);
      return 0;
    } catch (err) {
      if (!(err instanceof MinidockError)) throw err;
      ctx.err(err.context?.daemon ? `Error response from daemon: ${err.message}` : err.message);
      return 1;
    }
  },
};
export default command;
