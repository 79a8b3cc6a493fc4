// The Dockerfile front end, as the builder and the CLI use it. Three pure stages, as in
// BuildKit: parse (text -> syntax tree), toStages (tree -> typed instructions per stage) and
// expandInstruction (one instruction at build time, with the stage's environment); plus
// planRun for how a RUN executes and lint for `build --check`.
export type { Directive, DockerfileAst, Heredoc, Node, ParseWarning } from './ast.js';
export { dumpAst, dumpNode } from './ast.js';
export { findDirective } from './directives.js';
export type { ExpandedFrom, ExpandedInstruction, StageScope, StartStageOptions, WordRefs } from './expand.js';
export { DEFAULT_PATH, envList, expandFrom, expandInstruction, startStage } from './expand.js';
export type { BuildArgs, BuildContext, BuildContextOptions, Platform } from './global-args.js';
export { buildContext, formatPlatform, platformArgs, proxyEnv } from './global-args.js';
export { INSTRUCTION_NAMES, parseDockerfile, parseOnbuildTrigger, toStages } from './instructions.js';
export type { BaseImageInfo, LintFinding, LintOptions, LintReport } from './lint.js';
export { lint, lintReport } from './lint.js';
export type { CheckOptions } from './lint-config.js';
export { checkOptions, parseCheckOptions } from './lint-config.js';
export type { RuleName } from './lint-rules.js';
export { RULES, ruleUrl } from './lint-rules.js';
export type { ParseOptions } from './parser.js';
export { parse, parseInstructionText } from './parser.js';
export type { RunFile, RunPlan } from './run-plan.js';
export { DEFAULT_SHELL, planRun } from './run-plan.js';
export { parseRunDevice, parseRunMount } from './run-mount.js';
export type { Env, EscapeToken, LexOptions, WordExpansion } from './shell.js';
export { envFromList, expandWord, processWord, processWords } from './shell.js';
export { copyFromStage, fromStage } from './stage-refs.js';
export type * from './types.js';
