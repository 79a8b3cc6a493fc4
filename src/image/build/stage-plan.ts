// Which stages a build runs and how their steps are labelled, decided before anything runs
// (BuildKit's dispatch states): the target stage (--target, default the last) and every stage
// it reaches through FROM <stage> and COPY --from=<stage>, in file order. Unreachable stages are
// skipped, as BuildKit skips them (the legacy builder built them all).
// Progress labels follow prefixCommand: `[stage-name i/n]`, where n counts the FROM of an image
// and each RUN, COPY, ADD and WORKDIR (metadata instructions make no vertex); a single-stage
// build has no stage name, unnamed stages are `stage-N`.
import { invalid } from '../../errors.js';
import { copyFromStage, expandFrom, fromStage, type BuildContext, type Dockerfile, type Stage } from '../dockerfile/index.js';
import { suggest } from '../dockerfile/suggest.js';
import { dockerfileError } from '../dockerfile/location.js';
import { parseReference } from '../reference.js';

export type StageBase = { kind: 'scratch' } | { kind: 'stage'; index: number } | { kind: 'image'; ref: string };

export interface PlannedStage {
  index: number;
  stage: Stage;
  /** Label prefix ('' in a single-stage build). */
  label: string;
  base: StageBase;
  /** Stages this one needs first (its base stage, COPY --from stages). */
  deps: number[];
  /** Steps with a progress vertex (before ONBUILD triggers are known). */
  total: number;
}

export interface StagePlan {
  stages: PlannedStage[];
  target: number;
  /** Indexes of the stages to build, in file order. */
  order: number[];
}

export const SCRATCH = 'scratch';

export function planStages(df: Dockerfile, ctx: BuildContext, target?: string): StagePlan {
  const images = new Set<string>();
  const stages = df.stages.map((stage, i): PlannedStage => {
    const expanded = expandFrom(stage, ctx);
    const from = expanded.base;
    if (expanded.platform !== undefined) checkPlatform(expanded.platform, ctx, stage);
    const parent = fromStage(df.stages, i, from);
    const base: StageBase = parent ? { kind: 'stage', index: parent.index } : from === SCRATCH ? { kind: 'scratch' } : { kind: 'image', ref: from };
    const deps = parent ? [parent.index] : [];
    let total = base.kind === 'image' ? 1 : 0;
    for (const inst of stage.instructions) {
      if (inst.kind === 'run' || inst.kind === 'copy' || inst.kind === 'add' || inst.kind === 'workdir') total++;
      if (inst.kind === 'copy' && inst.from !== undefined) {
        const src = copyFromStage(df.stages, inst.from);
        if (src) deps.push(src.index);
        else images.add(inst.from);
      }
    }
    return { index: i, stage, label: stage.name ?? `stage-${i}`, base, deps, total };
  });
  // BuildKit counts the images COPY --from names as states too: only a lone stage goes unnamed.
  if (stages.length + images.size === 1) stages[0].label = '';
  const t = resolveTarget(df, target);
  const reach = new Set<number>();
  const visit = (i: number) => {
    if (reach.has(i)) return;
    reach.add(i);
    for (const d of stages[i].deps) visit(d);
  };
  visit(t);
  return { stages, target: t, order: [...reach].sort((a, b) => a - b) };
}

/** FROM --platform: only the platform the build runs on can be built (no emulation, no pulls). */
function checkPlatform(platform: string, ctx: BuildContext, stage: Stage): void {
  const build = ctx.globals.get('BUILDPLATFORM') ?? '';
  const [os, arch] = platform.split('/');
  const [bos, barch] = build.split('/');
  if (os === bos && (arch === undefined || arch === barch)) return;
  throw dockerfileError(ctx.file, stage, `FROM --platform=${platform}: minidock builds for the platform it runs on only (${build})`);
}

function resolveTarget(df: Dockerfile, target: string | undefined): number {
  if (target === undefined || target === '') return df.stages.length - 1;
  const name = target.toLowerCase();
  for (let i = df.stages.length - 1; i >= 0; i--) if (df.stages[i].name === name) return i;
  const names = df.stages.flatMap((s) => (s.name ? [s.name] : []));
  const close = suggest(target, names, true);
  throw invalid(`target stage "${target}" could not be found${close ? ` (did you mean ${close}?)` : ''}`);
}

/** The full name BuildKit shows for an image reference (TagNameOnly), or the text as given. */
export function fullName(ref: string): string {
  try {
    return parseReference(ref).withDefaultTag().toString();
  } catch {
    return ref;
  }
}

/** BuildKit's `[name i/n] ` prefix; `%*d` pads the index to the width of n. */
export function stepLabel(label: string, index: number, total: number): string {
  if (total === 0) return '';
  const width = 1 + Math.floor(Math.log10(total));
  return `[${label ? `${label} ` : ''}${String(index).padStart(width)}/${total}] `;
}
