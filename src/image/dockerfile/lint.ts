// `build --check`: BuildKit's Dockerfile checks, run without building. Like BuildKit, it walks
// every stage with the real expansion rules (so UndefinedVar sees exactly what a build would),
// knowing the base images' environment only if the caller supplies it (PATH otherwise).
// A `# check=skip=Rule1,Rule2` (or skip=all) directive silences rules.
// https://docs.docker.com/reference/build-checks/
import { MinidockError } from '../../errors.js';
import type { Node } from './ast.js';
import { type CheckOptions, checkOptions } from './lint-config.js';
import { type StageScope, expandFrom, expandInstruction, startStage } from './expand.js';
import { type BuildContext, type BuildContextOptions, buildContext } from './global-args.js';
import { toStages } from './instructions.js';
import { MESSAGES, RESERVED_STAGE_NAMES, RULES, type RuleName, looksLikeSecret, ruleUrl } from './lint-rules.js';
import { isValidImageReference, parsePlatform } from './lint-syntax.js';
import { parse } from './parser.js';
import { expandWord } from './shell.js';
import { fromStage } from './stage-refs.js';
import { suggest } from './suggest.js';
import type { Dockerfile, Instruction, Stage } from './types.js';

export interface LintFinding {
  rule: RuleName;
  /** 1-based lines of the instruction the finding is about. */
  line: number;
  endLine: number;
  message: string;
  description: string;
  url: string;
}

export interface BaseImageInfo {
  env?: readonly string[];
  shell?: readonly string[];
}

export interface LintOptions extends BuildContextOptions {
  file?: string;
  /** Config of a base image (by its expanded FROM reference), when the caller has it. */
  baseImage?: (ref: string) => BaseImageInfo | undefined;
}

export interface LintReport {
  findings: LintFinding[];
  /** What stopped the walk (BuildKit reports the warnings found before it, and the error). */
  error?: MinidockError;
}

/** All findings, ordered by line; throws (located) where a build would fail. */
export function lint(text: string, opts: LintOptions = {}): LintFinding[] {
  const report = lintReport(text, opts);
  if (report.error) throw report.error;
  return report.findings;
}

/** Findings and, if the Dockerfile cannot be built, the error, as `build --check` prints them. */
export function lintReport(text: string, opts: LintOptions = {}): LintReport {
  const findings = new Findings();
  let cfg: CheckOptions;
  try {
    cfg = checkOptions(text, opts.buildArgs);
  } catch (err) {
    if (err instanceof MinidockError) return { findings: [], error: err };
    throw err;
  }
  const done = (error?: unknown): LintReport => {
    if (error !== undefined && !(error instanceof MinidockError)) throw error;
    const list = findings.sorted().filter((f) => cfg.skip !== 'all' && !cfg.skip.has(f.rule));
    return error === undefined ? { findings: list } : { findings: list, error: error as MinidockError };
  };
  let ast;
  try {
    ast = parse(text, { file: opts.file });
  } catch (err) {
    return done(err);
  }
  for (const w of ast.warnings) findings.add('NoEmptyContinuation', w, MESSAGES.NoEmptyContinuation());
  let df: Dockerfile;
  try {
    df = toStages(ast);
  } catch (err) {
    // Rules checked while typing instructions still apply to the lines before the error.
    const line = err instanceof MinidockError && typeof err.context?.line === 'number' ? err.context.line : Infinity;
    checkNodes(ast.nodes.filter((n) => n.line < line), findings);
    return done(err);
  }
  checkNodes(ast.nodes, findings);
  checkStageNames(df, findings);
  checkCasing(df, findings);
  try {
    walkStages(df, opts, findings);
  } catch (err) {
    return done(err);
  }
  return done();
}

/** Expand every stage as a build would, checking each FROM and each instruction. */
function walkStages(df: Dockerfile, opts: LintOptions, findings: Findings): void {
  const ctx = buildContext(df, opts);
  checkDefaultBaseNames(df, opts, findings);
  const ended: { scope: StageScope; state: StageState }[] = [];
  df.stages.forEach((stage, i) => {
    checkFrom(stage, ctx, opts, findings);
    const from = expandFrom(stage, ctx);
    const parent = fromStage(df.stages, i, from.base);
    const image = parent ? undefined : opts.baseImage?.(from.base);
    let scope = parent ? ended[parent.index].scope : startStage({ imageEnv: image?.env });
    const state: StageState = parent
      ? { ...ended[parent.index].state, seen: new Map() }
      : { workdirSet: false, shellSet: (image?.shell?.length ?? 0) > 0, seen: new Map() };
    for (const inst of stage.instructions) {
      const r = expandInstruction(inst, scope, ctx);
      const options = [...ctx.globals.keys(), ...scope.env.keys()];
      for (const v of r.undeclared) findings.add('UndefinedVar', inst, MESSAGES.UndefinedVar(v, suggest(v, options, true)));
      checkInstruction(r.instruction, state, findings);
      scope = r.scope;
    }
    ended[i] = { scope, state };
  });
}

interface StageState {
  workdirSet: boolean;
  shellSet: boolean;
  /** Last CMD/ENTRYPOINT/HEALTHCHECK of the stage, for MultipleInstructionsDisallowed. */
  seen: Map<string, Instruction>;
}

class Findings {
  private readonly list: LintFinding[] = [];

  add(rule: RuleName, at: { line: number; endLine?: number }, message: string): void {
    const line = at.line;
    this.list.push({ rule, line, endLine: at.endLine ?? line, message, description: RULES[rule], url: ruleUrl(rule) });
  }

  /** By line, then message (the order BuildKit's own tests compare in). */
  sorted(): LintFinding[] {
    return [...this.list].sort((a, b) => a.line - b.line || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  }
}

/** Rules BuildKit checks while typing instructions: MAINTAINER, and FROM's AS name and casing. */
function checkNodes(nodes: readonly Node[], findings: Findings): void {
  for (const node of nodes) {
    if (node.name === 'maintainer') findings.add('MaintainerDeprecated', node, MESSAGES.MaintainerDeprecated());
    if (node.name !== 'from' || node.args.length !== 3) continue;
    const [, as, name] = node.args;
    if (name !== name.toLowerCase()) findings.add('StageNameCasing', node, MESSAGES.StageNameCasing(name));
    const kw = node.keyword;
    const fromLower = kw === kw.toLowerCase();
    const fromUpper = kw === kw.toUpperCase();
    // Mixed-case FROM is ConsistentInstructionCasing's business, not this rule's.
    if ((fromLower || fromUpper) && as !== (fromLower ? as.toLowerCase() : as.toUpperCase())) {
      findings.add('FromAsCasing', node, MESSAGES.FromAsCasing(kw, as));
    }
  }
}

function checkStageNames(df: Dockerfile, findings: Findings): void {
  const names = new Set<string>();
  for (const stage of df.stages) {
    if (stage.name === undefined) continue;
    if (RESERVED_STAGE_NAMES.has(stage.name)) findings.add('ReservedStageName', stage, MESSAGES.ReservedStageName(stage.name));
    if (names.has(stage.name)) findings.add('DuplicateStageName', stage, MESSAGES.DuplicateStageName(stage.name));
    names.add(stage.name);
  }
}

/** ConsistentInstructionCasing: every instruction word (global ARGs aside) should follow the
 *  majority; a tie counts as an uppercase majority. */
function checkCasing(df: Dockerfile, findings: Findings): void {
  const words = df.stages.flatMap((s) => [s as { keyword: string; line: number; endLine: number }, ...s.instructions]);
  let lower = 0;
  let upper = 0;
  for (const { keyword } of words) {
    if (keyword === keyword.toLowerCase()) lower++;
    else if (keyword === keyword.toUpperCase()) upper++;
  }
  const majorityLower = lower > upper;
  for (const w of words) {
    if (majorityLower && w.keyword !== w.keyword.toLowerCase()) {
      findings.add('ConsistentInstructionCasing', w, MESSAGES.ConsistentInstructionCasing(w.keyword, 'lowercase'));
    } else if (!majorityLower && w.keyword !== w.keyword.toUpperCase()) {
      findings.add('ConsistentInstructionCasing', w, MESSAGES.ConsistentInstructionCasing(w.keyword, 'uppercase'));
    }
  }
}

/** InvalidDefaultArgInFrom: with no --build-arg for the global ARGs, every FROM must still name
 *  a valid image (`FROM alpine:${TAG}` with `ARG TAG` and no default gives "alpine:"). */
function checkDefaultBaseNames(df: Dockerfile, opts: LintOptions, findings: Findings): void {
  let defaults: BuildContext;
  try {
    defaults = buildContext(df, { ...opts, buildArgs: {} });
  } catch {
    return; // BuildKit abandons the rule; the build itself reports the error
  }
  for (const stage of df.stages) {
    let base: string;
    try {
      base = expandWord(stage.base, defaults.globalEnv, { escape: df.escapeToken }).result;
    } catch {
      return;
    }
    if (!isValidImageReference(base)) findings.add('InvalidDefaultArgInFrom', stage, MESSAGES.InvalidDefaultArgInFrom(stage.base));
  }
}

/** UndefinedArgInFrom, RedundantTargetPlatform, FromPlatformFlagConstDisallowed; checked before
 *  FROM is expanded for real, so they are reported even when that expansion fails. */
function checkFrom(stage: Stage, ctx: BuildContext, opts: LintOptions, findings: Findings): void {
  const keys = [...ctx.globals.keys()];
  const expand = (word: string) => {
    try {
      return expandWord(word, ctx.globalEnv, { escape: ctx.escape });
    } catch {
      return undefined; // the build reports it
    }
  };
  for (const v of expand(stage.base)?.unmatched ?? []) {
    findings.add('UndefinedArgInFrom', stage, MESSAGES.UndefinedArgInFrom(v, suggest(v, keys, true)));
  }
  if (stage.platform === undefined) return;
  const p = expand(stage.platform);
  if (!p) return;
  for (const v of p.unmatched) findings.add('UndefinedArgInFrom', stage, MESSAGES.UndefinedArgInFrom(v, suggest(v, keys, true)));
  if (p.matched.size === 1 && p.unmatched.size === 0 && p.matched.has('TARGETPLATFORM') && p.result === ctx.globals.get('TARGETPLATFORM')) {
    findings.add('RedundantTargetPlatform', stage, MESSAGES.RedundantTargetPlatform(stage.platform));
  }
  if (p.matched.size === 0 && p.unmatched.size === 0) {
    const platform = parsePlatform(p.result, opts.targetPlatform ?? opts.buildPlatform ?? { os: 'linux', architecture: 'amd64' });
    const name = stage.name ?? '';
    if (platform && !name.includes(platform.os) && !name.includes(platform.architecture)) {
      findings.add('FromPlatformFlagConstDisallowed', stage, MESSAGES.FromPlatformFlagConstDisallowed(p.result));
    }
  }
}

/** Rules BuildKit checks while dispatching an (expanded) instruction. */
function checkInstruction(inst: Instruction, state: StageState, findings: Findings): void {
  switch (inst.kind) {
    case 'env':
    case 'label':
      for (const p of inst.pairs) {
        if (p.legacy) findings.add('LegacyKeyValueFormat', inst, MESSAGES.LegacyKeyValueFormat(inst.keyword));
        if (inst.kind === 'env' && looksLikeSecret(p.key)) findings.add('SecretsUsedInArgOrEnv', inst, MESSAGES.SecretsUsedInArgOrEnv('ENV', p.key));
      }
      return;
    case 'arg':
      for (const a of inst.args) {
        if (looksLikeSecret(a.name)) findings.add('SecretsUsedInArgOrEnv', inst, MESSAGES.SecretsUsedInArgOrEnv('ARG', a.name));
      }
      return;
    case 'workdir':
      // Only the first WORKDIR of a build chain matters: fixing it fixes the later ones.
      if (!state.workdirSet && !inst.path.startsWith('/')) findings.add('WorkdirRelativePath', inst, MESSAGES.WorkdirRelativePath(inst.path));
      state.workdirSet = true;
      return;
    case 'shell':
      state.shellSet = true;
      return;
    case 'cmd':
    case 'entrypoint':
    case 'healthcheck': {
      const previous = state.seen.get(inst.kind);
      // Reported where the earlier one is: that is the instruction that will be ignored.
      if (previous) findings.add('MultipleInstructionsDisallowed', previous, MESSAGES.MultipleInstructionsDisallowed(inst.keyword));
      state.seen.set(inst.kind, inst);
      if (inst.kind !== 'healthcheck' && inst.command.form === 'shell' && !state.shellSet) {
        findings.add('JSONArgsRecommended', inst, MESSAGES.JSONArgsRecommended(inst.keyword));
      }
      return;
    }
    case 'expose':
      for (const port of inst.ports) {
        if (port.includes(':')) findings.add('ExposeInvalidFormat', inst, MESSAGES.ExposeInvalidFormat(port));
        const proto = port.split('/')[1];
        if (proto !== undefined && proto !== proto.toLowerCase()) findings.add('ExposeProtoCasing', inst, MESSAGES.ExposeProtoCasing(port));
      }
      return;
    default:
      return;
  }
}
