// `minidock build [OPTIONS] PATH | -`: docker build with BuildKit's behaviour and output.
// Progress goes to stderr (tty display on a terminal, plain text otherwise, nothing with -q);
// stdout gets only the image ID with -q, or the report of --check. A failed step is reported
// as docker does (its last output, then the Dockerfile lines) and exits 1.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import * as z from 'zod/mini';
import { MinidockError, usageError } from '../../errors.js';
import { BuildFailure } from '../../image/build/build-error.js';
import { buildImage } from '../../image/build/build.js';
import { renderCheck } from '../../image/build/check.js';
import { loadContext, type ContextInput, type DockerfileInput } from '../../image/build/context-load.js';
import { PlainRenderer } from '../../image/build/progress/plain.js';
import { Progress, QuietRenderer, type Renderer } from '../../image/build/progress/progress.js';
import { renderFailedStep, renderSource } from '../../image/build/progress/report.js';
import { TtyRenderer } from '../../image/build/progress/tty.js';
import { baseImageInfo } from '../../image/build/check-bases.js';
import { lintReport } from '../../image/dockerfile/index.js';
import { hostPlatform } from '../../image/oci.js';
import { parseReference } from '../../image/reference.js';
import { ImageStore } from '../../image/store/store.js';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { labelsToMap, parseLabelFlag } from '../parse/env.js';
import { invalidArgument } from '../parse/flag-error.js';
import { collect, type CliContext, type CommandModule } from '../context.js';

const Options = z.object({
  tag: z.array(z.string()),
  file: z.optional(z.string()),
  buildArg: z.array(z.string()),
  target: z.optional(z.string()),
  label: z.array(z.string()),
  iidfile: z.optional(z.string()),
  quiet: z.optional(z.boolean()),
  cache: z.boolean(),
  progress: z.enum(['auto', 'plain', 'tty', 'quiet']),
  network: z.enum(['default', 'none', 'host']),
  check: z.optional(z.boolean()),
  call: z.optional(z.string()),
  format: z.optional(z.string()),
  platform: z.optional(z.string()),
  cgroupParent: z.optional(z.string()),
  pull: z.optional(z.boolean()),
  rm: z.optional(z.boolean()),
  forceRm: z.optional(z.boolean()),
});
type Options = z.infer<typeof Options>;

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('Build an image from a Dockerfile')
      .usage('[OPTIONS] PATH | -')
      .argument('<context>')
      .option('-t, --tag <name>', 'Name and optionally a tag (format: "name:tag")', collect, [])
      .option('-f, --file <path>', 'Name of the Dockerfile (default: "PATH/Dockerfile")')
      .option('--build-arg <arg>', 'Set build-time variables', collect, [])
      .option('--target <stage>', 'Set the target build stage to build')
      .option('--label <label>', 'Set metadata for an image', collect, [])
      .option('--iidfile <file>', 'Write the image ID to the file')
      .option('-q, --quiet', 'Suppress the build output and print image ID on success')
      .option('--no-cache', 'Do not use cache when building the image')
      .option('--progress <type>', 'Set type of progress output ("auto", "plain", "tty", "quiet")', 'auto')
      .option('--network <mode>', 'Set the networking mode for the RUN instructions during build ("default", "none", "host")', 'default')
      .option('--check', 'Shorthand for "--call=check": check the Dockerfile without building')
      .option('--call <request>', 'Set method for evaluating build ("build", "check", "check,format=json")')
      .option('--format <format>', 'Output format of --check ("text", "json")')
      .option('--platform <platform>', 'Set the target platform (only the host platform is supported)')
      .option('--cgroup-parent <parent>', 'Set the parent cgroup for the "RUN" instructions during build')
      .option('--pull', 'Always attempt to pull a newer version of the image (not supported: local images only)')
      .option('--rm', 'Remove intermediate containers after a successful build (always done)')
      .option('--force-rm', 'Always remove intermediate containers (always done)');
  },

  async action(ctx, [contextArg], rawOpts) {
    const parsed = Options.safeParse(rawOpts);
    if (!parsed.success) throw usageError(`invalid option value: ${parsed.error.issues[0]?.message ?? parsed.error.message}`);
    const o = parsed.data;
    if (o.pull) throw usageError('--pull is not supported: minidock build uses local images only');
    checkPlatform(o.platform);
    const buildArgs = parseBuildArgs(o.buildArg);
    const labels = labelsToMap(o.label.map(parseLabelFlag));
    const tags = o.tag.map((t) => {
      try {
        return parseReference(t).withDefaultTag().toString();
      } catch (e) {
        throw invalidArgument(t, '-t, --tag', (e as Error).message);
      }
    });
    const { context, dockerfile } = readInputs(contextArg, o.file);
    const call = parseCall(o);
    if (call.check) return check(ctx, context, dockerfile, buildArgs, o.target, call.format);

    const progress = new Progress(renderer(o));
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let result;
    try {
      result = await buildImage(ctx.engine(), {
        context,
        dockerfile,
        buildArgs,
        target: o.target,
        labels,
        tags,
        noCache: !o.cache,
        network: o.network,
        progress,
        sourceDateEpoch: process.env.SOURCE_DATE_EPOCH,
        cgroupParent: o.cgroupParent,
        signal: abort.signal,
      });
    } catch (err) {
      progress.close();
      if (err instanceof BuildFailure) throw reportFailure(ctx, err);
      throw err;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    progress.close();
    if (!o.quiet) for (const w of result.warnings) ctx.err(w);
    if (o.iidfile) writeFileSync(o.iidfile, result.id);
    if (o.quiet) ctx.out(result.id);
  },
};
export default command;

function renderer(o: Options): Renderer {
  if (o.quiet || o.progress === 'quiet') return new QuietRenderer();
  const tty = o.progress === 'tty' || (o.progress === 'auto' && process.stderr.isTTY === true);
  const write = (s: string) => void process.stderr.write(s);
  if (!tty) return new PlainRenderer(write);
  // A pty without a size (script, some CI) reports 0: assume a classic 80x24 terminal.
  return new TtyRenderer({ write, columns: () => process.stderr.columns || 80, rows: () => process.stderr.rows || 24 });
}

/** The failure report on stderr; the error left for main.ts to print is BuildKit's last line. */
function reportFailure(ctx: CliContext, err: BuildFailure): MinidockError {
  let text = '';
  if (err.step) text += renderFailedStep(err.step.name, err.step.tail);
  if (err.source) text += renderSource(err.source.file, err.source.text, [err.source.range]);
  if (text) ctx.err(text.replace(/\n$/, ''));
  return new MinidockError(`failed to solve: ${err.message}`, { kind: err.kind === 'usage' ? 'usage' : 'invalid', exitCode: 1, hint: err.hint, context: err.context, cause: err });
}

/** --build-arg K=V, or K alone: the value of K in our environment (skipped when unset). */
function parseBuildArgs(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq === 0) throw invalidArgument(v, '--build-arg', 'invalid argument: empty name');
    if (eq > 0) out[v.slice(0, eq)] = v.slice(eq + 1);
    else if (process.env[v] !== undefined) out[v] = process.env[v]!;
  }
  return out;
}

function readInputs(contextArg: string, file: string | undefined): { context: ContextInput; dockerfile: DockerfileInput } {
  if (/^(https?|git):\/\/|^git@/.test(contextArg)) throw usageError(`unable to prepare context: remote contexts (${contextArg}) are not supported; clone or download it first`);
  if (contextArg === '-' && file === '-') throw usageError('invalid argument: can\'t use stdin for both build context and dockerfile');
  const context: ContextInput = contextArg === '-' ? { kind: 'stdin', stream: process.stdin as Readable } : { kind: 'dir', path: contextArg };
  let dockerfile: DockerfileInput = { kind: 'default' };
  if (file === '-') dockerfile = { kind: 'text', text: readFileSync(0, 'utf8') };
  else if (file !== undefined) dockerfile = { kind: 'path', path: file };
  return { context, dockerfile };
}

function parseCall(o: Options): { check: boolean; format: 'text' | 'json' } {
  let check = o.check ?? false;
  let format: 'text' | 'json' = 'text';
  if (o.call !== undefined) {
    const [fn, ...rest] = o.call.split(',');
    if (fn === 'check') check = true;
    else if (fn !== 'build') throw invalidArgument(o.call, '--call', `unsupported method ${JSON.stringify(fn)} (minidock knows "build" and "check")`);
    for (const kv of rest) {
      const [k, v] = kv.split('=');
      if (k !== 'format' || (v !== 'json' && v !== 'text')) throw invalidArgument(o.call, '--call', `invalid option ${JSON.stringify(kv)}`);
      format = v;
    }
  }
  if (o.format !== undefined) {
    if (o.format !== 'json' && o.format !== 'text') throw invalidArgument(o.format, '--format', 'expected "text" or "json"');
    if (!check) throw usageError('--format applies to --check only');
    format = o.format;
  }
  return { check, format };
}

function checkPlatform(p: string | undefined): void {
  if (p === undefined) return;
  const host = hostPlatform();
  const want = p.split(',').map((x) => x.trim());
  if (want.length !== 1 || !['linux', `linux/${host.architecture}`].includes(want[0])) {
    throw usageError(`--platform ${p}: minidock builds for the host platform only (linux/${host.architecture})`);
  }
}

async function check(
  ctx: CliContext,
  input: ContextInput,
  dockerfile: DockerfileInput,
  buildArgs: Record<string, string>,
  target: string | undefined,
  format: 'text' | 'json',
): Promise<number> {
  const engine = ctx.engine();
  mkdirSync(engine.paths.tmpDir, { recursive: true });
  const tmp = mkdtempSync(join(engine.paths.tmpDir, `check-${process.pid}-`));
  try {
    const loaded = await loadContext(engine.host, input, dockerfile, tmp);
    const { text, name } = loaded.dockerfile;
    const bases = await baseImageInfo(new ImageStore(engine), text, name, buildArgs);
    const report = lintReport(text, { file: name, buildArgs, target, baseImage: (ref) => bases.get(ref) });
    const out = renderCheck(report, name, text, format);
    if (out.stdout) process.stdout.write(out.stdout);
    if (out.error) throw new MinidockError(out.error, { kind: 'invalid', exitCode: 1 });
    return out.exitCode;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
