// Build arguments outside any stage: the ARGs before the first FROM (usable in FROM lines, and
// in a stage only after `ARG name` re-declares them), the automatic platform arguments, and the
// proxy arguments that reach every RUN without being declared.
// https://docs.docker.com/reference/dockerfile/#scope
// https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope
// https://docs.docker.com/reference/dockerfile/#predefined-args
import type { Env, EscapeToken } from './shell.js';
import { expandWord } from './shell.js';
import { DEFAULT_FILE, locate } from './location.js';
import type { Dockerfile } from './types.js';

export type BuildArgs = Readonly<Record<string, string>>;

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface BuildContextOptions {
  /** --build-arg values. */
  buildArgs?: BuildArgs;
  /** The platform the build runs on; default linux/amd64. */
  buildPlatform?: Platform;
  /** The platform the image is for; default the build platform. */
  targetPlatform?: Platform;
  /** --target; sets TARGETSTAGE (default the last stage's name, else "default"). */
  target?: string;
}

/** What every expansion in a build needs: resolved once per build by `buildContext`. */
export interface BuildContext {
  file: string;
  escape: EscapeToken;
  buildArgs: BuildArgs;
  /** Global ARGs after --build-arg, in declaration order, platform arguments first. A name
   *  declared without a value (and no build arg) maps to undefined. */
  globals: ReadonlyMap<string, string | undefined>;
  /** The globals as FROM lines see them: a declared name without value is set and empty. */
  globalEnv: Env;
}

// Proxy arguments are available to RUN without an ARG and are kept out of the cache key and
// the image history (https://docs.docker.com/reference/dockerfile/#predefined-args).
const PROXY_NAMES = ['http_proxy', 'https_proxy', 'ftp_proxy', 'no_proxy', 'all_proxy'];

/** Environment entries ("K=V") the proxy build args add to every RUN, in both cases. */
export function proxyEnv(buildArgs: BuildArgs): string[] {
  const values = new Map<string, string>();
  for (const [k, v] of Object.entries(buildArgs)) {
    const lower = k.toLowerCase();
    if (PROXY_NAMES.includes(lower)) values.set(lower, v);
  }
  const out: string[] = [];
  for (const name of PROXY_NAMES) {
    const v = values.get(name);
    if (v) out.push(`${name.toUpperCase()}=${v}`, `${name}=${v}`);
  }
  return out;
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter((s) => s).join('/');
}

/** BUILDPLATFORM, TARGETARCH and the rest, as BuildKit defines them in the global scope. */
export function platformArgs(build: Platform, target: Platform, targetStage: string): Map<string, string> {
  return new Map([
    ['BUILDPLATFORM', formatPlatform(build)],
    ['BUILDOS', build.os],
    ['BUILDOSVERSION', ''],
    ['BUILDARCH', build.architecture],
    ['BUILDVARIANT', build.variant ?? ''],
    ['TARGETPLATFORM', formatPlatform(target)],
    ['TARGETOS', target.os],
    ['TARGETOSVERSION', ''],
    ['TARGETARCH', target.architecture],
    ['TARGETVARIANT', target.variant ?? ''],
    ['TARGETSTAGE', targetStage],
  ]);
}

/** Resolve the global ARGs of a Dockerfile for one build (BuildKit's buildMetaArgs): a build
 *  arg wins over a default, and a default may use the globals declared before it. */
export function buildContext(df: Dockerfile, opts: BuildContextOptions = {}): BuildContext {
  const buildArgs = opts.buildArgs ?? {};
  const build = opts.buildPlatform ?? { os: 'linux', architecture: 'amd64' };
  const target = opts.targetPlatform ?? build;
  const targetStage = opts.target?.toLowerCase() ?? df.stages[df.stages.length - 1]?.name ?? 'default';
  const globals = new Map<string, string | undefined>();
  for (const [k, v] of platformArgs(build, target, targetStage)) {
    globals.set(k, Object.hasOwn(buildArgs, k) ? buildArgs[k] : v);
  }
  const file = df.file ?? DEFAULT_FILE;
  for (const inst of df.metaArgs) {
    for (const decl of inst.args) {
      let value: string | undefined;
      if (Object.hasOwn(buildArgs, decl.name)) {
        value = buildArgs[decl.name];
      } else if (decl.value !== undefined) {
        try {
          value = expandWord(decl.value, envOfGlobals(globals), { escape: df.escapeToken }).result;
        } catch (err) {
          throw locate(file, inst, err);
        }
      }
      globals.delete(decl.name);
      globals.set(decl.name, value);
    }
  }
  return { file, escape: df.escapeToken, buildArgs, globals, globalEnv: envOfGlobals(globals) };
}

function envOfGlobals(globals: ReadonlyMap<string, string | undefined>): Map<string, string> {
  return new Map([...globals].map(([k, v]) => [k, v ?? '']));
}
