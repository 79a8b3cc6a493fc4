// `minidock load [-i FILE] [-q]`: docker-save and OCI-layout archives, file or STDIN.
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { MinidockError, errnoCode } from '../../errors.js';
import { loadArchive } from '../../image/load.js';
import { parseReference } from '../../image/reference.js';
import { ImageStore } from '../../image/store/store.js';
import type { CommandModule } from '../context.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Load an image from a tar archive or STDIN')
      .option('-i, --input <file>', 'Read from tar archive file, instead of STDIN')
      .option('-q, --quiet', 'Suppress the load output');
  },
  async action(ctx, _args, opts) {
    let input: Readable;
    if (opts.input) {
      // Open before anything else, for docker's "open FILE: no such file or directory".
      try {
        if (!statSync(opts.input).isFile()) throw new Error('not a regular file');
      } catch (e) {
        const msg = errnoCode(e) === 'ENOENT' ? 'no such file or directory' : (e as Error).message;
        throw new MinidockError(`open ${opts.input}: ${msg}`, { kind: 'invalid' });
      }
      input = createReadStream(opts.input, { highWaterMark: 1 << 20 });
    }
    else {
      if (process.stdin.isTTY) throw new MinidockError('requested load from stdin, but stdin is empty', { kind: 'usage' });
      input = process.stdin;
    }
    const store = new ImageStore(ctx.engine());
    const { images } = await loadArchive(store, input);
    if (opts.quiet) return;
    for (const { rec, names } of images) {
      if (names.length === 0) ctx.out(`Loaded image ID: ${rec.id}`);
      for (const n of names) ctx.out(`Loaded image: ${parseReference(n).familiarString()}`);
    }
  },
};
export default command;
