// `minidock build`: context and Dockerfile in, an image (and its tags) out. Stages the target
// needs run in file order (stage-runner.ts); the target stage's last step is the image, with
// --label values applied on top (a config-only image, as BuildKit applies them at export); it
// is then shown by `images` and gets the -t tags. Every step before it stays as an
// intermediate image: that is the build cache, as with docker's legacy builder.
// Reproducible by default: created times (config and history) and layer mtimes come from
// SOURCE_DATE_EPOCH when set, else from the base image's own created time (epoch 0 for
// scratch), never from the clock; layer tars are sorted with no user names or atimes.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../../engine.js';
import { invalid } from '../../errors.js';
import { processStartTime } from '../../state/lock.js';
import { messageOf } from '../dockerfile/location.js';
import { hostPlatform } from '../oci.js';
import { ImageStore, type ImageRecord } from '../store/store.js';
import { buildContext, parseDockerfile, type BuildArgs } from '../dockerfile/index.js';
import { BuildFailure } from './build-error.js';
import { loadContext, type ContextInput, type DockerfileInput } from './context-load.js';
import { type Progress } from './progress/progress.js';
import { planStages } from './stage-plan.js';
import { StageRunner, type RunnerOptions } from './stage-runner.js';
import { unusedBuildArgs } from './build-args.js';

export interface BuildOptions {
  context: ContextInput;
  dockerfile?: DockerfileInput;
  buildArgs?: BuildArgs;
  target?: string;
  /** --label: set on the final image only. */
  labels?: Record<string, string>;
  /** Full references (docker.io/library/app:latest), already validated. */
  tags?: string[];
  noCache?: boolean;
  /** build --network: what RUN uses unless it says --network itself. Default: host. */
  network?: 'default' | 'none' | 'host';
  progress: Progress;
  /** SOURCE_DATE_EPOCH from the environment (a SOURCE_DATE_EPOCH build arg wins). */
  sourceDateEpoch?: string;
  cgroupParent?: string;
  signal?: AbortSignal;
  cwd?: string;
}

export interface BuildResult {
  id: string;
  record: ImageRecord;
  /** Lines for the user after the build (unused build args). */
  warnings: string[];
}

export async function buildImage(engine: Engine, opts: BuildOptions): Promise<BuildResult> {
  const store = new ImageStore(engine);
  const progress = opts.progress;
  const buildArgs = opts.buildArgs ?? {};
  mkdirSync(engine.paths.tmpDir, { recursive: true });
  removeStaleBuildDirs(engine.paths.tmpDir);
  const tmp = mkdtempSync(join(engine.paths.tmpDir, `build-${process.pid}-`));
  try {
    const def = progress.vertex('[internal] load build definition from Dockerfile');
    let loaded;
    try {
      loaded = await loadContext(engine.host, opts.context, opts.dockerfile ?? { kind: 'default' }, tmp, opts.cwd);
    } catch (err) {
      def.error(messageOf(err));
      throw err;
    }
    def.status(`transferring dockerfile: ${Buffer.byteLength(loaded.dockerfile.text)}B done`);
    def.done();
    const ign = progress.vertex('[internal] load .dockerignore');
    ign.status(`transferring context: ${loaded.ignore.bytes}B done`);
    ign.done();

    const df = parseDockerfile(loaded.dockerfile.text, { file: loaded.dockerfile.name });
    const platform = hostPlatform();
    const ctx = buildContext(df, { buildArgs, target: opts.target, buildPlatform: platform });
    const plan = planStages(df, ctx, opts.target);
    const runnerOpts: RunnerOptions = {
      buildArgs,
      noCache: opts.noCache ?? false,
      network: opts.network === 'none' ? 'none' : 'host',
      sourceDateEpoch: parseEpoch(buildArgs.SOURCE_DATE_EPOCH ?? opts.sourceDateEpoch),
      cgroupParent: opts.cgroupParent,
      signal: opts.signal,
    };
    const input = { df, text: loaded.dockerfile.text, ctx, plan, context: () => loaded.context, progress, tmpDir: tmp };
    const runner = new StageRunner(engine, store, input, runnerOpts);
    for (const i of plan.order) await runner.buildStage(i);
    const final = runner.results.get(plan.target)!;

    let state = final.state;
    const labels = opts.labels ?? {};
    if (Object.keys(labels).length > 0 || !state.id) {
      const cfg = state.config.config ?? {};
      const config = Object.keys(labels).length ? { ...state.config, config: { ...cfg, Labels: { ...(cfg.Labels ?? {}), ...labels } } } : state.config;
      state = await runner.commitConfig(state, final.epoch, { kind: 'labels', labels }, config);
    }
    const exp = progress.vertex('exporting to image');
    exp.status('exporting layers done');
    exp.status(`writing image ${state.id} done`);
    const record = await finalize(store, state.id!, opts.tags ?? []);
    for (const t of opts.tags ?? []) exp.status(`naming to ${t} done`);
    exp.done();

    // docker's legacy builder prints this one itself (BuildKit is silent): the caller does.
    const warnings: string[] = [];
    const unused = unusedBuildArgs(buildArgs, df, runner.declaredArgs);
    if (unused.length) warnings.push(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed`);
    return { id: record.id, record, warnings };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Show the image in `images` (not intermediate) and move the tags to it. */
async function finalize(store: ImageStore, id: string, tags: readonly string[]): Promise<ImageRecord> {
  // A rebuild that changes nothing writes nothing (docker does not touch LastTagTime then either).
  const current = store.list();
  const mine = current.find((r) => r.id === id);
  const done = (r: ImageRecord) => r.id === id || !tags.some((t) => r.refs.includes(t));
  if (mine && !mine.intermediate && tags.every((t) => mine.refs.includes(t)) && current.every(done)) return mine;
  const now = new Date().toISOString();
  return store.edit((records) => {
    const rec = records.find((r) => r.id === id);
    if (!rec) throw new BuildFailure(`image ${id} vanished before it could be tagged`, undefined, undefined, undefined);
    for (const r of records) r.refs = r.refs.filter((x) => !tags.includes(x));
    rec.refs.push(...tags);
    rec.intermediate = false;
    if (tags.length) rec.lastTagTime = now;
    return rec;
  });
}

/** Temp dirs of builds whose process is gone (killed before its `finally` ran). */
function removeStaleBuildDirs(tmpDir: string): void {
  for (const name of readdirSync(tmpDir)) {
    const m = /^(?:build|check)-(\d+)-/.exec(name);
    if (m && processStartTime(Number(m[1])) === undefined) rmSync(join(tmpDir, name), { recursive: true, force: true });
  }
}

function parseEpoch(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^[0-9]+$/.test(value)) throw invalid(`invalid SOURCE_DATE_EPOCH: ${value} (it must be a number of seconds since 1970)`);
  return Number(value);
}
