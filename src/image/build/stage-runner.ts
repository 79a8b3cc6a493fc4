// Runs the instructions of the stages a build needs, one step at a time. Each step: expand the
// instruction with the stage's scope, compute its cache key, reuse the current image's child
// with that key if there is one (CACHED), else do the step and commit its image. The stage's
// scope (ENV/ARG values) and facts are pure and advance whether or not the step was cached.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Engine } from '../../engine.js';
import { MinidockError, invalid } from '../../errors.js';
import { diffUpperTo } from '../../overlay/diff.js';
import { tarStream } from '../../overlay/tarstream.js';
import { LayeredView } from '../../runtime/rootfs-view.js';
import { hostPlatform, type ImageConfig } from '../oci.js';
import type { ImageStore } from '../store/store.js';
import {
  copyFromStage,
  envList,
  expandInstruction,
  parseOnbuildTrigger,
  planRun,
  proxyEnv,
  startStage,
  type AddInstruction,
  type BuildContext,
  type CopyInstruction,
  type Dockerfile,
  type Instruction,
  type RunInstruction,
  type StageScope,
  type WorkdirInstruction,
} from '../dockerfile/index.js';
import { messageOf } from '../dockerfile/location.js';
import { BuildCache } from './build-cache.js';
import { BuildFailure } from './build-error.js';
import { instructionKeyData, stepCacheKey } from './cache-key.js';
import type { ContextDir } from './context-dir.js';
import { copyFailed, prepareCopy } from './copy-step.js';
import { runHistory } from './history.js';
import {
  appendHistory,
  applyMetadata,
  isoSeconds,
  nextFacts,
  normalizeWorkdir,
  scratchConfig,
  shellOf,
  stageStartConfig,
  type StageFacts,
} from './image-config.js';
import { workdirEntries } from './workdir-layer.js';
import type { Progress, Vertex } from './progress/progress.js';
import { runStep } from './run-step.js';
import { adoptUpper } from './adopt-upper.js';
import type { PendingSnapshot } from '../store/snapshots.js';
import { stepLabel, type PlannedStage, type StagePlan } from './stage-plan.js';
import { ImageResolver } from './image-resolver.js';
import { stepName } from './step-name.js';
import { chainsOf, commitStep, loadImageState, type ImageState, type StepCommit } from './step-image.js';

export interface RunnerOptions {
  buildArgs: Readonly<Record<string, string>>;
  noCache: boolean;
  /** What `RUN --network=default` means (build --network). */
  network: 'none' | 'host';
  /** SOURCE_DATE_EPOCH (seconds), overriding every stage's default. */
  sourceDateEpoch?: number;
  cgroupParent?: string;
  signal?: AbortSignal;
}

/** What the build has read and decided before any stage runs. */
export interface BuildInput {
  df: Dockerfile;
  /** The Dockerfile's text, for error reports. */
  text: string;
  ctx: BuildContext;
  plan: StagePlan;
  /** The build context, opened on first use. */
  context: () => ContextDir;
  progress: Progress;
  /** The build's private temporary directory. */
  tmpDir: string;
}

export interface StageResult {
  state: ImageState;
  scope: StageScope;
  facts: StageFacts;
  /** Seconds: the created time of every image and history entry the stage writes. */
  epoch: number;
}

interface StageRun extends StageResult {
  planned: PlannedStage;
  total: number;
  index: number;
}

export class StageRunner {
  readonly results = new Map<number, StageResult>();
  /** ARG names the built stages declared (for the unused build-arg warning). */
  readonly declaredArgs = new Set<string>();
  private readonly cache: BuildCache;
  private readonly platform = hostPlatform();
  private readonly images: ImageResolver;
  private contextShown = false;
  private stepCount = 0;

  constructor(
    private readonly engine: Engine,
    private readonly store: ImageStore,
    private readonly input: BuildInput,
    private readonly o: RunnerOptions,
  ) {
    this.cache = new BuildCache(store);
    this.images = new ImageResolver(this.cache, input.progress);
  }

  async buildStage(index: number): Promise<StageResult> {
    const planned = this.input.plan.stages[index];
    let start;
    try {
      start = await this.startStage(planned);
    } catch (err) {
      throw this.fail(err, planned.stage, undefined);
    }
    const { run: s, triggers } = start;
    let parsed: Instruction[];
    try {
      parsed = triggers.map((t) => this.trigger(t, planned));
    } catch (err) {
      throw this.fail(err, planned.stage, undefined);
    }
    const insts: { inst: Instruction; trigger: boolean }[] = [
      ...parsed.map((inst) => ({ inst, trigger: true })),
      ...planned.stage.instructions.map((inst) => ({ inst, trigger: false })),
    ];
    for (const { inst, trigger } of insts) await this.step(s, inst, trigger);
    const result: StageResult = { state: s.state, scope: s.scope, facts: s.facts, epoch: s.epoch };
    this.results.set(index, result);
    return result;
  }

  /** Commit `config` on top of `state` (or reuse the cached child) as the step `step`. */
  async commitConfig(state: ImageState, epoch: number, step: unknown, config: ImageConfig): Promise<ImageState> {
    const key = this.key(state, epoch, step);
    const hit = this.o.noCache ? undefined : this.cache.find(state.id, key);
    if (hit) return loadImageState(this.store, hit);
    return this.commit(state, { ...config, created: isoSeconds(epoch) }, key, undefined, 'the image');
  }

  private trigger(expression: string, planned: PlannedStage): Instruction {
    // BuildKit reports a trigger's errors at the FROM line of the stage that runs it.
    const inst = parseOnbuildTrigger(expression, { file: this.input.ctx.file });
    return { ...inst, line: planned.stage.line, endLine: planned.stage.endLine };
  }

  /** The stage's starting point and the ONBUILD triggers its base asks to run. */
  private async startStage(planned: PlannedStage): Promise<{ run: StageRun; triggers: string[] }> {
    const base = planned.base;
    const common = { planned, total: planned.total, index: 0 };
    if (base.kind === 'stage') {
      const r = this.results.get(base.index);
      if (!r) throw new MinidockError(`stage ${base.index} was not built before stage ${planned.index}`, { kind: 'internal' });
      // A stage built FROM another inherits its ARG declarations, not its CMD tracking, and
      // runs (instead of inheriting) the ONBUILD triggers that stage declared.
      const { OnBuild: triggers, ...cfg } = r.state.config.config ?? {};
      const state = triggers?.length ? { ...r.state, config: { ...r.state.config, config: cfg } } : r.state;
      const run = { ...common, total: common.total + (triggers?.length ?? 0), state, scope: r.scope, facts: { cmdSet: false, args: [...r.facts.args] }, epoch: r.epoch };
      return { run, triggers: triggers ?? [] };
    }
    if (base.kind === 'scratch') {
      const config = scratchConfig(this.platform);
      const scope = startStage({ imageEnv: config.config?.Env ?? [] });
      const run = { ...common, state: { config, layers: [] }, scope, facts: { cmdSet: false, args: [] }, epoch: this.o.sourceDateEpoch ?? 0 };
      return { run, triggers: [] };
    }
    const { rec, full } = this.images.resolve(base.ref);
    const image = await loadImageState(this.store, rec);
    const scope = startStage({ imageEnv: image.config.config?.Env ?? [] });
    const created = image.config.created ? Math.floor(Date.parse(image.config.created) / 1000) : Number.NaN;
    const epoch = this.o.sourceDateEpoch ?? (Number.isFinite(created) ? created : 0);
    // Triggers count among the stage's steps (BuildKit's cmdTotal), so before FROM's label.
    const triggers = image.config.config?.OnBuild ?? [];
    const s: StageRun = { ...common, total: common.total + triggers.length, state: { ...image, config: stageStartConfig(image.config, scope) }, scope, facts: { cmdSet: false, args: [] }, epoch };
    this.vertex(s, `FROM ${full}@${rec.manifestDigest}`, false).cached();
    return { run: s, triggers };
  }

  private vertex(s: StageRun, text: string, trigger: boolean): Vertex {
    s.index++;
    return this.input.progress.vertex(`${stepLabel(s.planned.label, s.index, s.total)}${trigger ? 'ONBUILD ' : ''}${text}`);
  }

  private async step(s: StageRun, inst: Instruction, trigger: boolean): Promise<void> {
    let v: Vertex | undefined;
    const onVertex = (x: Vertex) => (v = x);
    try {
      if (this.o.signal?.aborted) throw new MinidockError('the build was canceled', { kind: 'conflict', exitCode: 1 });
      const ex = expandInstruction(inst, s.scope, this.input.ctx);
      const e = ex.instruction;
      const name = stepName(inst, s.scope, this.input.ctx.escape);
      if (e.kind === 'arg') for (const a of e.args) this.declaredArgs.add(a.name);
      if (e.kind === 'run') await this.run(s, e, ex.scope, name, trigger, onVertex);
      else if (e.kind === 'copy' || e.kind === 'add') await this.copy(s, e, name, trigger, onVertex);
      else if (e.kind === 'workdir') await this.workdir(s, e, name, trigger, onVertex);
      else s.state = await this.metadata(s, e, ex.scope);
      s.facts = nextFacts(s.facts, e);
      s.scope = ex.scope;
      this.stepCount++;
    } catch (err) {
      throw this.fail(err, inst, v);
    }
  }

  private key(state: ImageState, epoch: number, step: unknown): string {
    return stepCacheKey({ parent: state.id, epoch, platform: `${this.platform.os}/${this.platform.architecture}`, step });
  }

  private async cached(state: ImageState, key: string, v?: Vertex): Promise<ImageState | undefined> {
    if (this.o.noCache) return undefined;
    const hit = this.cache.find(state.id, key);
    if (!hit) return undefined;
    v?.cached();
    return loadImageState(this.store, hit);
  }

  private async commit(
    parent: ImageState,
    config: ImageConfig,
    cacheKey: string,
    layer: StepCommit['layer'],
    what: string,
    adopt?: (size: number) => PendingSnapshot | undefined,
  ): Promise<ImageState> {
    const { state, record } = await commitStep(this.store, { parent, config, layer, cacheKey, what, adopt });
    this.cache.add(record);
    return state;
  }

  private async metadata(s: StageRun, e: Instruction, scope: StageScope): Promise<ImageState> {
    const key = this.key(s.state, s.epoch, instructionKeyData(e));
    const hit = await this.cached(s.state, key);
    if (hit) return hit;
    const config = applyMetadata(s.state.config, e, scope, s.facts, isoSeconds(s.epoch));
    return this.commit(s.state, { ...config, created: isoSeconds(s.epoch) }, key, undefined, 'the image');
  }

  private async run(s: StageRun, e: RunInstruction, scope: StageScope, name: string, trigger: boolean, onVertex: (v: Vertex) => void): Promise<void> {
    if (e.mounts?.length) throw invalid(`RUN --mount=${e.mountSpecs[0]} is not supported by minidock build`, { hint: 'copy what the step needs into the image, or use a multi-stage build' });
    if (e.security === 'insecure') throw invalid('RUN --security=insecure is not supported by minidock build');
    if (e.devices.length) throw invalid('RUN --device is not supported by minidock build');
    const plan = planRun(e, shellOf(s.state.config.config));
    const network = e.network === 'default' ? this.o.network : e.network;
    const env = envList(scope.env);
    const key = this.key(s.state, s.epoch, { kind: 'run', argv: plan.argv, files: plan.files, env, network });
    const v = this.vertex(s, name, trigger);
    onVertex(v);
    const hit = await this.cached(s.state, key, v);
    if (hit) {
      s.state = hit;
      return;
    }
    const cfg = s.state.config.config ?? {};
    const run = await runStep(this.engine, {
      state: s.state,
      argv: plan.argv,
      files: plan.files,
      env: [...env, ...proxyEnv(this.o.buildArgs)],
      user: cfg.User ?? '',
      workdir: cfg.WorkingDir || '/',
      network,
      cgroupParent: this.o.cgroupParent,
      onOutput: (d, stream) => v.log(d, stream),
      signal: this.o.signal,
    });
    try {
      const config = appendHistory(s.state.config, runHistory(plan.argv, s.facts.args, scope.env), !run.changed, isoSeconds(s.epoch));
      const upper = run.upperDir;
      const layer = run.changed ? (sink: (chunk: Buffer) => void) => diffUpperTo(this.engine.host, upper, sink, { normalize: { mtime: s.epoch } }) : undefined;
      const adopt = (size: number) => adoptUpper(run.upperDir, this.engine.paths.snapshotsDir, s.epoch, size);
      s.state = await this.commit(s.state, { ...config, created: isoSeconds(s.epoch) }, key, layer, `the layer of ${name}`, adopt);
    } finally {
      await run.remove();
    }
    v.done();
  }

  private async copy(s: StageRun, e: CopyInstruction | AddInstruction, name: string, trigger: boolean, onVertex: (v: Vertex) => void): Promise<void> {
    const from = e.kind === 'copy' && e.from !== undefined ? await this.copyFrom(s, e.from) : undefined;
    const tmp = join(this.input.tmpDir, `step-${this.stepCount}`);
    let prepared;
    try {
      prepared = await prepareCopy(e, {
        host: this.engine.host,
        destDirs: this.dirsOf(s.state),
        workdir: s.state.config.config?.WorkingDir || '/',
        context: () => this.context(),
        from,
        tmpDir: tmp,
        epoch: s.epoch,
        signal: this.o.signal,
      });
    } catch (err) {
      throw copyFailed(err);
    }
    const key = this.key(s.state, s.epoch, prepared.keyData);
    const v = this.vertex(s, name, trigger);
    onVertex(v);
    const hit = await this.cached(s.state, key, v);
    if (hit) {
      rmSync(tmp, { recursive: true, force: true });
      s.state = hit;
      return;
    }
    try {
      const entries = await prepared.build();
      const config = appendHistory(s.state.config, prepared.history, entries.length === 0, isoSeconds(s.epoch));
      const layer = entries.length ? tarStream(entries) : undefined;
      s.state = await this.commit(s.state, { ...config, created: isoSeconds(s.epoch) }, key, layer, `the layer of ${name}`);
    } finally {
      // Downloads and extracted archives are in the layer now; do not keep them for the whole build.
      rmSync(tmp, { recursive: true, force: true });
    }
    v.done();
  }

  /** The image `COPY --from` reads: an earlier stage's result, or an image of the store. */
  private async copyFrom(s: StageRun, ref: string): Promise<{ id: string; dirs: string[] }> {
    const stage = copyFromStage(this.input.df.stages, ref);
    let state: ImageState;
    if (stage) {
      const r = this.results.get(stage.index);
      if (!r) {
        const current = s.planned.label || `stage-${s.planned.index}`;
        throw invalid(`cannot copy from stage "${ref}", it needs to be defined before current stage "${current}"`);
      }
      state = r.state;
    } else {
      state = await loadImageState(this.store, this.images.resolve(ref).rec);
    }
    return { id: state.id ?? 'scratch', dirs: this.dirsOf(state) };
  }

  private async workdir(s: StageRun, e: WorkdirInstruction, name: string, trigger: boolean, onVertex: (v: Vertex) => void): Promise<void> {
    const wd = normalizeWorkdir(s.state.config.config?.WorkingDir, e.path);
    const base: ImageConfig = { ...s.state.config, config: { ...(s.state.config.config ?? {}), WorkingDir: wd } };
    const key = this.key(s.state, s.epoch, { kind: 'workdir', path: wd });
    if (wd === '/') {
      // No directory to make: BuildKit records the step without a layer and without a vertex
      // (and, since it never asks for a label, without using up a step number).
      const hit = await this.cached(s.state, key);
      s.state = hit ?? (await this.commit(s.state, { ...appendHistory(base, `WORKDIR ${wd}`, true, isoSeconds(s.epoch)), created: isoSeconds(s.epoch) }, key, undefined, 'the image'));
      return;
    }
    const v = this.vertex(s, name, trigger);
    onVertex(v);
    const hit = await this.cached(s.state, key, v);
    if (hit) {
      s.state = hit;
      return;
    }
    const entries = workdirEntries(new LayeredView(this.dirsOf(s.state)), wd, base.config?.User, s.epoch);
    const config = appendHistory(base, `WORKDIR ${wd}`, entries.length === 0, isoSeconds(s.epoch));
    s.state = await this.commit(s.state, { ...config, created: isoSeconds(s.epoch) }, key, entries.length ? tarStream(entries) : undefined, `the layer of ${name}`);
    v.done();
  }

  /** Snapshot fs dirs of an image, top layer first. */
  private dirsOf(state: ImageState): string[] {
    return chainsOf(state)
      .reverse()
      .map((c) => this.store.snapshots.fsDir(c));
  }

  private context(): ContextDir {
    if (!this.contextShown) {
      this.contextShown = true;
      this.input.progress.vertex('[internal] load build context').done();
    }
    return this.input.context();
  }

  private fail(err: unknown, at: { line: number; endLine: number }, v: Vertex | undefined): BuildFailure {
    if (err instanceof BuildFailure) return err;
    const message = messageOf(err);
    if (v && !v.ended) v.error(message);
    const step = v ? { name: v.state.name, tail: [...v.state.tail] } : undefined;
    return new BuildFailure(message, step, { file: this.input.ctx.file, text: this.input.text, range: { line: at.line, endLine: at.endLine } }, err);
  }
}

