// Syntax tree -> typed instructions grouped into stages, with BuildKit's argument checks, flag
// checks and stage-name rules (instructions/parse.go). Every error names the file and line, and
// an unknown instruction suggests the closest known one.
import { invalid } from '../../errors.js';
import type { DockerfileAst, Node } from './ast.js';
import { parseFlags } from './flags.js';
import { goQuote, trimSpace } from './go-text.js';
import { parseAdd, parseCopy } from './instruction-copy.js';
import { parseCmd, parseEntrypoint, parseHealthcheck, parseRun } from './instruction-run.js';
import { DEFAULT_FILE, dockerfileError, locate } from './location.js';
import { parse } from './parser.js';
import type { EscapeToken } from './shell.js';
import { withSuggestion } from './suggest.js';
import type { ArgDecl, Dockerfile, Instruction, InstructionBase, KeyValue, Stage } from './types.js';

export const INSTRUCTION_NAMES = [
  'add', 'arg', 'cmd', 'copy', 'entrypoint', 'env', 'expose', 'from', 'healthcheck', 'label',
  'maintainer', 'onbuild', 'run', 'shell', 'stopsignal', 'user', 'volume', 'workdir',
] as const;

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

/** Group a parsed Dockerfile into stages of typed instructions. */
export function toStages(ast: DockerfileAst): Dockerfile {
  const metaArgs: Dockerfile['metaArgs'] = [];
  const stages: Stage[] = [];
  for (const node of ast.nodes) {
    const range = { line: node.line, endLine: node.endLine };
    let parsed: Stage | Instruction;
    try {
      parsed = node.name === 'from' ? parseFrom(node, stages.length) : parseInstruction(node, ast.escapeToken);
    } catch (err) {
      throw locate(ast.file, range, err);
    }
    if ('instructions' in parsed) {
      stages.push(parsed);
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(parsed);
    } else if (parsed.kind === 'arg') {
      metaArgs.push(parsed);
    } else {
      throw dockerfileError(ast.file, range, 'no build stage in current context');
    }
  }
  if (stages.length === 0) throw dockerfileError(ast.file, undefined, 'dockerfile contains no stages to build');
  return { file: ast.file, escapeToken: ast.escapeToken, metaArgs, stages };
}

/** Parse and group in one call. */
export function parseDockerfile(text: string, opts: { file?: string } = {}): Dockerfile {
  return toStages(parse(text, opts));
}

/**
 * An ONBUILD trigger from a base image's config, as an instruction of the stage that builds on
 * it. BuildKit parses the stored text as a one-instruction Dockerfile (heredoc bodies included).
 */
export function parseOnbuildTrigger(expression: string, opts: { file?: string } = {}): Instruction {
  const file = opts.file ?? DEFAULT_FILE;
  const ast = parse(expression, { file });
  if (ast.nodes.length !== 1) throw dockerfileError(file, undefined, 'onbuild trigger should be a single expression');
  const node = ast.nodes[0];
  try {
    if (node.name === 'from') throw invalid('FROM is not a command type');
    return parseInstruction(node, ast.escapeToken);
  } catch (err) {
    throw locate(file, { line: node.line, endLine: node.endLine }, err);
  }
}

function baseOf(node: Node): InstructionBase {
  return { line: node.line, endLine: node.endLine, keyword: node.keyword, source: trimSpace(node.original) };
}

function parseFrom(node: Node, index: number): Stage {
  const args = node.args;
  let name: string | undefined;
  if (args.length === 3 && args[1].toLowerCase() === 'as') {
    name = args[2].toLowerCase();
    if (!STAGE_NAME.test(name)) {
      throw invalid(`invalid name for build stage: ${goQuote(args[2])}, name can't start with a number or contain symbols`);
    }
  } else if (args.length !== 1) {
    throw invalid('FROM requires either one or three arguments');
  }
  const flags = parseFlags(node.flags, { platform: 'string' });
  const platform = flags.string('platform');
  const comment = name === undefined ? undefined : describedBy(node.comments, name);
  return {
    index,
    name,
    asKeyword: name === undefined ? undefined : args[1],
    nameAsWritten: name === undefined ? undefined : args[2],
    base: args[0],
    platform: platform === '' ? undefined : platform,
    line: node.line,
    endLine: node.endLine,
    keyword: node.keyword,
    source: trimSpace(node.original),
    comment,
    instructions: [],
  };
}

/** getComment: a comment line "name description" documents the stage called name. */
function describedBy(comments: readonly string[], name: string): string | undefined {
  for (const c of comments) if (c.startsWith(`${name} `)) return c.slice(name.length + 1);
  return undefined;
}

export function parseInstruction(node: Node, escape: EscapeToken): Instruction {
  const base = baseOf(node);
  const noFlags = () => parseFlags(node.flags, {});
  const exactlyOne = (cmd: string): string => {
    if (node.args.length !== 1) throw invalid(`${cmd} requires exactly one argument`);
    return node.args[0];
  };
  const atLeastOne = (cmd: string): void => {
    if (node.args.length === 0) throw invalid(`${cmd} requires at least one argument`);
  };
  switch (node.name) {
    case 'run':
      return parseRun(node, base, escape);
    case 'cmd':
      return parseCmd(node, base);
    case 'entrypoint':
      return parseEntrypoint(node, base);
    case 'healthcheck':
      return parseHealthcheck(node, base);
    case 'copy':
      return parseCopy(node, base, escape);
    case 'add':
      return parseAdd(node, base);
    case 'env':
    case 'label': {
      noFlags();
      const cmd = node.name === 'env' ? 'ENV' : 'LABEL';
      return { kind: node.name, ...base, pairs: keyValues(node.args, cmd) };
    }
    case 'arg':
      // BuildKit does not check flags on ARG.
      atLeastOne('ARG');
      return { kind: 'arg', ...base, args: node.args.map(argDecl) };
    case 'maintainer': {
      const maintainer = exactlyOne('MAINTAINER');
      noFlags();
      return { kind: 'maintainer', ...base, maintainer };
    }
    case 'workdir': {
      const path = exactlyOne('WORKDIR');
      noFlags();
      return { kind: 'workdir', ...base, path };
    }
    case 'user': {
      const user = exactlyOne('USER');
      noFlags();
      return { kind: 'user', ...base, user };
    }
    case 'stopsignal':
      // BuildKit does not check flags on STOPSIGNAL.
      return { kind: 'stopsignal', ...base, signal: exactlyOne('STOPSIGNAL') };
    case 'expose':
      atLeastOne('EXPOSE');
      noFlags();
      return { kind: 'expose', ...base, ports: [...node.args].sort() };
    case 'volume': {
      atLeastOne('VOLUME');
      noFlags();
      const paths = node.args.map((v) => v.trim());
      if (paths.includes('')) throw invalid('VOLUME specified can not be an empty string');
      return { kind: 'volume', ...base, paths };
    }
    case 'shell':
      noFlags();
      if (node.args.length === 0) throw invalid('SHELL requires at least one argument');
      if (!node.json) throw invalid('SHELL requires the arguments to be in JSON form');
      return { kind: 'shell', ...base, shell: [...node.args] };
    case 'onbuild':
      return parseOnbuild(node, base);
  }
  throw invalid(withSuggestion(`unknown instruction: ${node.keyword}`, node.keyword, INSTRUCTION_NAMES.map((n) => n.toUpperCase()), false));
}

function parseOnbuild(node: Node, base: InstructionBase): Instruction {
  if (!node.trigger) throw invalid('ONBUILD requires at least one argument');
  parseFlags(node.flags, {});
  const trigger = node.trigger.keyword.trim().toUpperCase();
  if (trigger === 'ONBUILD') throw invalid('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
  if (trigger === 'MAINTAINER' || trigger === 'FROM') throw invalid(`${trigger} isn't allowed as an ONBUILD trigger`);
  let expression = node.original.replace(/^[\t\n\f\r ]*onbuild[\t\n\f\r ]*/i, '');
  for (const h of node.heredocs) expression += `\n${h.content}${h.name}`;
  return { kind: 'onbuild', ...base, expression };
}

/** parseKvps: the parser's (key, value, separator) triples. */
function keyValues(args: readonly string[], cmd: 'ENV' | 'LABEL'): KeyValue[] {
  if (args.length === 0) throw invalid(`${cmd} requires at least one argument`);
  if (args.length % 3 !== 0) throw invalid(`Bad input to ${cmd}, too many arguments`);
  const pairs: KeyValue[] = [];
  for (let i = 0; i < args.length; i += 3) {
    if (args[i] === '') throw invalid(`${cmd} names can not be blank`);
    pairs.push({ key: args[i], value: args[i + 1], legacy: args[i + 2] === '' });
  }
  return pairs;
}

/** An ARG word is `name` or `name=default`; the default keeps its quotes until expansion. */
function argDecl(word: string): ArgDecl {
  const eq = word.indexOf('=');
  if (eq < 0) return { name: word };
  if (eq === 0) throw invalid('ARG names can not be blank');
  return { name: word.slice(0, eq), value: word.slice(eq + 1) };
}
