// The `build --check` rules: names, descriptions and messages as BuildKit's linter has them
// (frontend/dockerfile/linter/ruleset.go), each with its docs.docker.com page.
// https://docs.docker.com/reference/build-checks/
import { goQuote } from './go-text.js';

export const RULES = {
  StageNameCasing: 'Stage names should be lowercase',
  FromAsCasing: "The 'as' keyword should match the case of the 'from' keyword",
  NoEmptyContinuation: 'Empty continuation lines will become errors in a future release',
  ConsistentInstructionCasing: 'All commands within the Dockerfile should use the same casing (either upper or lower)',
  DuplicateStageName: 'Stage names should be unique',
  ReservedStageName: 'Reserved words should not be used as stage names',
  JSONArgsRecommended: 'JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals',
  MaintainerDeprecated: 'The MAINTAINER instruction is deprecated, use a label instead to define an image author',
  UndefinedArgInFrom: 'FROM command must use declared ARGs',
  WorkdirRelativePath:
    'Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes',
  UndefinedVar: 'Variables should be defined before their use',
  MultipleInstructionsDisallowed: 'Multiple instructions of the same type should not be used in the same stage',
  LegacyKeyValueFormat: 'Legacy key/value format with whitespace separator should not be used',
  RedundantTargetPlatform: 'Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior',
  SecretsUsedInArgOrEnv: 'Sensitive data should not be used in the ARG or ENV commands',
  InvalidDefaultArgInFrom: 'Default value for global ARG results in an empty or invalid base image name',
  FromPlatformFlagConstDisallowed: 'FROM --platform flag should not use a constant value',
  ExposeProtoCasing: 'Protocol in EXPOSE instruction should be lowercase',
  ExposeInvalidFormat:
    'IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release',
} as const;

export type RuleName = keyof typeof RULES;

/** https://docs.docker.com/go/dockerfile/rule/<kebab-case-name>/ */
export function ruleUrl(rule: RuleName): string {
  const kebab = rule
    .replace(/JSON/g, 'Json')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
  return `https://docs.docker.com/go/dockerfile/rule/${kebab}/`;
}

const didYouMean = (s: string | undefined, prefix = '') => (s === undefined ? '' : ` (did you mean ${prefix}${s}?)`);

export const MESSAGES = {
  StageNameCasing: (name: string) => `Stage name '${name}' should be lowercase`,
  FromAsCasing: (from: string, as: string) => `'${as}' and '${from}' keywords' casing do not match`,
  NoEmptyContinuation: () => 'Empty continuation line',
  ConsistentInstructionCasing: (cmd: string, casing: 'lowercase' | 'uppercase') =>
    `Command '${cmd}' should match the case of the command majority (${casing})`,
  DuplicateStageName: (name: string) => `Duplicate stage name ${goQuote(name)}, stage names should be unique`,
  ReservedStageName: (name: string) => `Stage name should not use the same name as reserved stage ${goQuote(name)}`,
  JSONArgsRecommended: (cmd: string) => `JSON arguments recommended for ${cmd} to prevent unintended behavior related to OS signals`,
  MaintainerDeprecated: () => 'Maintainer instruction is deprecated in favor of using label',
  UndefinedArgInFrom: (arg: string, suggestion?: string) => `FROM argument '${arg}' is not declared${didYouMean(suggestion)}`,
  WorkdirRelativePath: (dir: string) => `Relative workdir ${goQuote(dir)} can have unexpected results if the base image changes`,
  UndefinedVar: (v: string, suggestion?: string) => `Usage of undefined variable '$${v}'${didYouMean(suggestion, '$')}`,
  MultipleInstructionsDisallowed: (cmd: string) =>
    `Multiple ${cmd} instructions should not be used in the same stage because only the last one will be used`,
  LegacyKeyValueFormat: (cmd: string) => `"${cmd} key=value" should be used instead of legacy "${cmd} key value" format`,
  RedundantTargetPlatform: (expr: string) =>
    `Setting platform to predefined ${expr} in FROM is redundant as this is the default behavior`,
  SecretsUsedInArgOrEnv: (cmd: 'ARG' | 'ENV', key: string) => `Do not use ARG or ENV instructions for sensitive data (${cmd} ${goQuote(key)})`,
  InvalidDefaultArgInFrom: (base: string) => `Default value for ARG ${base} results in empty or invalid base image name`,
  FromPlatformFlagConstDisallowed: (platform: string) => `FROM --platform flag should not use constant value ${goQuote(platform)}`,
  ExposeProtoCasing: (port: string) => `Defined protocol '${port}' in EXPOSE instruction should be lowercase`,
  ExposeInvalidFormat: (port: string) =>
    `EXPOSE instruction should not define an IP address or host-port mapping, found '${port}'`,
} as const satisfies Record<RuleName, (...args: never[]) => string>;

/** ARG/ENV names that look like secrets: a token as the whole name, its first or its last
 *  underscore-separated word (API_KEY, GITHUB_TOKEN, AUTH), case-insensitively. */
const SECRET_NAME = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;

export function looksLikeSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

export const RESERVED_STAGE_NAMES = new Set(['context', 'scratch']);
