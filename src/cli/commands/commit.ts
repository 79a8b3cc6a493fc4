// `minidock commit [-a AUTHOR] [-c CHANGE] [-m MESSAGE] [-p=true] CONTAINER [REPOSITORY[:TAG]]`:
// prints the new image's ID (`sha256:…`), as docker does.
import type { Command } from 'commander';
import { parseReference } from '../../image/reference.js';
import type { ContainerConfig } from '../../image/oci.js';
import { commitContainer } from '../../runtime/commit.js';
import { ContainerStore } from '../../runtime/store.js';
import { collect, type CommandModule } from '../context.js';
import { applyChanges, parseChange, type ChangeableConfig } from '../parse/change.js';
import { parseBool } from '../parse/strconv.js';

/**
 * docker's `-p` is a boolean flag (`-p`, `-p=false`, `--pause=false`); commander's optional
 * value would take `-p CONTAINER`'s container as the value. Such a word is handed back.
 */
let swallowed: string | undefined;
function pauseValue(v: string): boolean {
  const text = v.replace(/^=/, '');
  try {
    return parseBool(text);
  } catch {
    swallowed = v;
    return true;
  }
}

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description("Create a new image from a container's changes")
      .usage('[OPTIONS] CONTAINER [REPOSITORY[:TAG]]')
      .argument('[container]')
      .argument('[reference]')
      .option('-a, --author <string>', 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")')
      .option('-c, --change <instruction>', 'Apply Dockerfile instruction to the created image', collect, [])
      .option('-m, --message <string>', 'Commit message')
      .option('-p, --pause [bool]', 'Pause container during commit', pauseValue, true);
  },
  async action(ctx, args, opts) {
    const words = swallowed !== undefined ? [swallowed, ...args] : args;
    const [ref, reference] = words;
    if (ref === undefined || words.length > 2) {
      ctx.err(`"minidock commit" requires at least 1 and at most 2 arguments.\nSee 'minidock commit --help'.`);
      return 1;
    }
    const changes = opts.change as string[];
    for (const line of changes) parseChange(line);
    const target = reference ? parseReference(reference).withDefaultTag().toString() : undefined;
    const engine = ctx.engine();
    const found = new ContainerStore(engine).find(ref);
    if (!found) {
      ctx.err(`Error response from daemon: No such container: ${ref}`);
      return 1;
    }
    const rec = await commitContainer(engine, found.container, {
      ref: target,
      author: opts.author,
      message: opts.message,
      pause: opts.pause !== false,
      editConfig: (c) => applyChanges(c as ChangeableConfig, changes) as ContainerConfig,
    });
    ctx.out(rec.id);
  },
};
export default command;
