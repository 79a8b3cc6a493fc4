// `minidock save [-o FILE] IMAGE…`: docker-save + OCI layout in one tarball.
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import type { Command } from 'commander';
import { MinidockError } from '../../errors.js';
import { parseReference } from '../../image/reference.js';
import { saveImages, type SaveItem } from '../../image/save.js';
import { ImageStore } from '../../image/store/store.js';
import type { CommandModule } from '../context.js';

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Save one or more images to a tar archive (streamed to STDOUT by default)')
      .usage('[OPTIONS] IMAGE [IMAGE...]')
      .argument('<images...>')
      .option('-o, --output <file>', 'Write to a file, instead of STDOUT');
  },
  async action(ctx, names, opts) {
    const store = new ImageStore(ctx.engine());
    const items: SaveItem[] = names.map((n) => {
      const rec = store.resolve(n);
      let ref: string | undefined;
      try {
        const r = parseReference(n).withDefaultTag().toString();
        if (rec.refs.includes(r)) ref = r;
      } catch {
        ref = undefined; // saved by ID: no name in the archive
      }
      return { rec, ref };
    });
    if (!opts.output) {
      if (process.stdout.isTTY) {
        throw new MinidockError('cowardly refusing to save to a terminal. Use the -o flag or redirect', { kind: 'usage' });
      }
      await saveImages(store, items, process.stdout);
      return;
    }
    const tmp = `${opts.output}.tmp-${process.pid}`;
    try {
      await saveImages(store, items, createWriteStream(tmp));
      renameSync(tmp, opts.output);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  },
};
export default command;
