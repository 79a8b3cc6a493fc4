// Build-time word expansion, one instruction at a time, with Docker's rules for what expands
// (ADD, COPY, ENV, EXPOSE, FROM, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR, ARG defaults, RUN
// --mount values; never a RUN/CMD/ENTRYPOINT command) and for ARG/ENV scope: the environment is
// the base image's, then each ENV and each ARG that has a value, in order; so an ENV overrides
// an earlier ARG of the same name and a later ARG overrides an ENV for RUN (not in the config).
// The builder threads a StageScope through a stage: expandInstruction returns the next one.
// https://docs.docker.com/reference/dockerfile/#environment-replacement
import { invalid } from '../../errors.js';
import type { BuildContext } from './global-args.js';
import { locate } from './location.js';
import { parseRunMount } from './run-mount.js';
import { type Env, type LexOptions, expandWord } from './shell.js';
import { suggest } from './suggest.js';
import type { CopySource, Instruction, KeyValue, Stage } from './types.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
// Build args BuildKit reads itself and never puts into a RUN environment.
const NON_ENV_ARGS = new Set(['BUILDKIT_SBOM_SCAN_CONTEXT', 'BUILDKIT_SBOM_SCAN_STAGE']);

export interface StageScope {
  /** What words expand against and what a RUN sees: base image env, then ENV and valued ARGs
   *  in order; a redefined name moves to the end (BuildKit's llb AddEnv). */
  readonly env: Env;
  /** The image config's Env: base image env then ENV only; a redefined name keeps its place. */
  readonly configEnv: Env;
  /** ARGs declared in this stage (or the stage it builds on), with the value in force. */
  readonly args: ReadonlyMap<string, string | undefined>;
}

export interface StartStageOptions {
  /** Env of the base image's config ("K=V"); PATH is added when missing, as BuildKit does. */
  imageEnv?: readonly string[];
  /** The scope a stage ended with, when this stage builds FROM it. */
  parent?: StageScope;
}

/** The scope a stage starts with. */
export function startStage(opts: StartStageOptions = {}): StageScope {
  if (opts.parent) return opts.parent;
  const env = new Map<string, string>();
  for (const e of opts.imageEnv ?? []) {
    const i = e.indexOf('=');
    env.set(i < 0 ? e : e.slice(0, i), i < 0 ? '' : e.slice(i + 1));
  }
  if (!env.has('PATH')) env.set('PATH', DEFAULT_PATH);
  return { env, configEnv: new Map(env), args: new Map() };
}

/** "K=V" entries for a RUN's process: the scope's env (proxy args come from proxyEnv). */
export function envList(env: Env): string[] {
  return [...env].map(([k, v]) => `${k}=${v}`);
}

export interface WordRefs {
  /** Variables the words referenced that were set. */
  used: string[];
  /** Variables referenced but not set (they expanded to ""). */
  unresolved: string[];
  /** Of those, the ones no ARG declared: what BuildKit's UndefinedVar lint reports. */
  undeclared: string[];
}

export interface ExpandedInstruction extends WordRefs {
  instruction: Instruction;
  /** The scope for the next instruction of the stage. */
  scope: StageScope;
}

export interface ExpandedFrom extends WordRefs {
  base: string;
  platform?: string;
}

/** FROM's image name and --platform, expanded with the global ARGs only. */
export function expandFrom(stage: Stage, ctx: BuildContext): ExpandedFrom {
  const words = new WordTracker(ctx.globalEnv, { escape: ctx.escape }, new Map());
  try {
    const base = words.expand(stage.base);
    if (base === '') throw invalid(`base name (${stage.base}) should not be blank`);
    let platform: string | undefined;
    if (stage.platform !== undefined) {
      platform = words.expand(stage.platform);
      if (platform === '') {
        // BuildKit suggests a global ARG close to the first unresolved name (wrapSuggestAny).
        let message = `empty platform value from expression ${stage.platform}`;
        for (const v of words.refs().unresolved) {
          const match = suggest(v, ctx.globals.keys(), true);
          if (match !== undefined) {
            message += ` (did you mean ${match}?)`;
            break;
          }
        }
        throw invalid(message);
      }
    }
    return { ...words.refs(), base, platform };
  } catch (err) {
    throw locate(ctx.file, stage, err);
  }
}

/** Expand one instruction against the stage scope; returns it with build-time values and the
 *  scope for the next instruction. */
export function expandInstruction(inst: Instruction, scope: StageScope, ctx: BuildContext): ExpandedInstruction {
  try {
    const [instruction, next, words] = expandOne(inst, scope, ctx);
    return { ...words.refs(), instruction, scope: next };
  } catch (err) {
    throw locate(ctx.file, inst, err);
  }
}

function expandOne(inst: Instruction, scope: StageScope, ctx: BuildContext): [Instruction, StageScope, WordTracker] {
  const words = new WordTracker(scope.env, { escape: ctx.escape }, scope.args);
  const w = (s: string) => words.expand(s);
  // An optional flag that expands to "" is unset, as in BuildKit (`--chown=$EMPTY`).
  const opt = (s: string | undefined) => (s === undefined ? undefined : w(s) || undefined);
  switch (inst.kind) {
    case 'env': {
      const pairs = inst.pairs.map((p): KeyValue => ({ ...p, key: w(p.key), value: w(p.value) }));
      const env = new Map(scope.env);
      const configEnv = new Map(scope.configEnv);
      for (const p of pairs) {
        env.delete(p.key);
        env.set(p.key, p.value);
        configEnv.set(p.key, p.value);
      }
      return [{ ...inst, pairs }, { ...scope, env, configEnv }, words];
    }
    case 'arg':
      return expandArg(inst, scope, ctx, words);
    case 'label':
      return [{ ...inst, pairs: inst.pairs.map((p) => ({ ...p, key: w(p.key), value: w(p.value) })) }, scope, words];
    case 'copy':
    case 'add': {
      const chmod = opt(inst.chmod);
      if (chmod !== undefined) checkChmod(chmod);
      const common = { chown: opt(inst.chown), chmod, sources: inst.sources.map((s) => expandSource(s, words)), dest: w(inst.dest) };
      return [inst.kind === 'add' ? { ...inst, ...common, checksum: opt(inst.checksum) } : { ...inst, ...common }, scope, words];
    }
    case 'workdir':
      return [{ ...inst, path: w(inst.path) }, scope, words];
    case 'user':
      return [{ ...inst, user: w(inst.user) }, scope, words];
    case 'stopsignal':
      return [{ ...inst, signal: w(inst.signal) }, scope, words];
    case 'volume':
      return [{ ...inst, paths: inst.paths.map(w) }, scope, words];
    case 'expose':
      // EXPOSE re-splits each expanded word; BuildKit does not report its undefined variables.
      words.quiet = true;
      return [{ ...inst, ports: inst.ports.flatMap((p) => words.expandWords(p)) }, scope, words];
    case 'run':
      return [{ ...inst, mounts: inst.mountSpecs.map((spec) => parseRunMount(spec, w)) }, scope, words];
    default:
      return [inst, scope, words];
  }
}

/** ARG: a --build-arg wins, else the default expanded with the scope so far, else the global
 *  value of that name; each declaration is visible to the next one's default. */
function expandArg(
  inst: Extract<Instruction, { kind: 'arg' }>,
  scope: StageScope,
  ctx: BuildContext,
  words: WordTracker,
): [Instruction, StageScope, WordTracker] {
  const env = new Map(scope.env);
  const args = new Map(scope.args);
  const decls = inst.args.map((decl) => {
    let value: string | undefined;
    if (Object.hasOwn(ctx.buildArgs, decl.name)) {
      value = ctx.buildArgs[decl.name];
    } else if (decl.value !== undefined) {
      value = words.expandWith(decl.value, env, args);
    } else if (ctx.globals.has(decl.name)) {
      value = ctx.globals.get(decl.name);
    }
    if (value !== undefined && !NON_ENV_ARGS.has(decl.name)) {
      env.delete(decl.name);
      env.set(decl.name, value);
    }
    args.set(decl.name, value);
    return { name: decl.name, value };
  });
  return [{ ...inst, args: decls }, { ...scope, env, args }, words];
}

function expandSource(src: CopySource, words: WordTracker): CopySource {
  if (src.kind === 'path') return { ...src, path: words.expand(src.path) };
  if (!src.expand) return src;
  // Heredoc bodies: only variables and the backslash are special; quotes are the file's own.
  return { ...src, content: words.expand(src.content, { escape: '\\', skipProcessQuotes: true }) };
}

/** --chmod: octal up to 07777, or symbolic (u+x,g-w) as BuildKit accepts since 1.14. */
function checkChmod(mode: string): void {
  if (/^[0-7]+$/.test(mode) && Number.parseInt(mode, 8) <= 0o7777) return;
  if (/^[ugoa]*[-+=][rwxXst]*(,[ugoa]*[-+=][rwxXst]*)*$/.test(mode)) return;
  throw invalid(`invalid chmod parameter: '${mode}'. it should be octal string and between 0 and 07777`);
}

/** Expands words with one environment and records what they referenced. */
class WordTracker {
  private readonly used = new Set<string>();
  private readonly unresolved = new Set<string>();
  private readonly undeclared = new Set<string>();
  /** Set for EXPOSE, whose unresolved variables BuildKit does not report. */
  quiet = false;

  constructor(
    private readonly env: Env,
    private readonly lex: LexOptions,
    private readonly declared: ReadonlyMap<string, unknown>,
  ) {}

  expand(word: string, lex?: LexOptions): string {
    return this.record(expandWord(word, this.env, lex ?? this.lex), this.declared).result;
  }

  expandWords(word: string): string[] {
    return this.record(expandWord(word, this.env, this.lex), this.declared).words;
  }

  /** For ARG defaults, whose environment and declared set grow declaration by declaration. */
  expandWith(word: string, env: Env, declared: ReadonlyMap<string, unknown>): string {
    return this.record(expandWord(word, env, this.lex), declared).result;
  }

  private record<R extends { matched: Set<string>; unmatched: Set<string> }>(r: R, declared: ReadonlyMap<string, unknown>): R {
    for (const v of r.matched) this.used.add(v);
    for (const v of r.unmatched) {
      this.unresolved.add(v);
      if (!this.quiet && !declared.has(v) && !NON_ENV_ARGS.has(v)) this.undeclared.add(v);
    }
    return r;
  }

  refs(): WordRefs {
    return { used: [...this.used], unresolved: [...this.unresolved], undeclared: [...this.undeclared] };
  }
}
