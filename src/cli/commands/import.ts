// `minidock import FILE|- [REPOSITORY[:TAG]]`: a filesystem tarball becomes an image.
import { createReadStream, statSync } from 'node:fs';
import type { Command } from 'commander';
import { MinidockError, usageError } from '../../errors.js';
import { importTarball } from '../../image/import.js';
import { parseReference } from '../../image/reference.js';
import { ImageStore } from '../../image/store/store.js';
import { applyChanges, parseChange, type ChangeableConfig } from '../parse/change.js';
import type { ContainerConfig } from '../../image/oci.js';
import { collect, type CommandModule } from '../context.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Import the contents from a tarball to create a filesystem image')
      .usage('[OPTIONS] file|URL|- [REPOSITORY[:TAG]]')
      .argument('<file>')
      .argument('[reference]')
      .option('-c, --change <instruction>', 'Apply Dockerfile instruction to the created image', collect, [])
      .option('-m, --message <message>', 'Set commit message for imported image')
      .option('--platform <platform>', 'Set platform if server is multi-platform capable');
  },
  async action(ctx, [file, reference], opts) {
    if (/^https?:\/\//.test(file)) throw usageError('importing from a URL is not supported; download the tarball first');
    const changes = opts.change as string[];
    for (const line of changes) parseChange(line); // reject bad ones before reading the tarball
    const ref = reference ? parseReference(reference).withDefaultTag().toString() : undefined;
    let input: NodeJS.ReadableStream;
    if (file === '-') input = process.stdin;
    else {
      try {
        if (!statSync(file).isFile()) throw new Error('not a regular file');
      } catch (e) {
        throw new MinidockError(`open ${file}: ${(e as Error).message.includes('ENOENT') ? 'no such file or directory' : (e as Error).message}`, { kind: 'invalid' });
      }
      input = createReadStream(file, { highWaterMark: 1 << 20 });
    }
    const store = new ImageStore(ctx.engine());
    const rec = await importTarball(store, input as import('node:stream').Readable, {
      ref,
      message: opts.message,
      editConfig: (c) => applyChanges(c as ChangeableConfig, changes) as ContainerConfig,
    });
    ctx.out(rec.id);
  },
};
export default command;
