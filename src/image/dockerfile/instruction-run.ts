// RUN, CMD, ENTRYPOINT and HEALTHCHECK from syntax nodes: the command line (shell or exec form),
// RUN's heredocs and flags, HEALTHCHECK's durations. BuildKit: instructions/parse.go.
import { invalid } from '../../errors.js';
import type { Node } from './ast.js';
import { parseFlags } from './flags.js';
import { goQuote } from './go-text.js';
import { parseGoDuration } from './go-duration.js';
import { parseRunDevice, parseRunMount, type WordExpander } from './run-mount.js';
import { processWord, type EscapeToken } from './shell.js';
import type {
  CmdInstruction,
  CommandLine,
  EntrypointInstruction,
  HealthConfig,
  HealthcheckInstruction,
  InstructionBase,
  RunInstruction,
} from './types.js';

const RUN_FLAGS = { mount: 'strings', network: 'string', security: 'string', device: 'strings' } as const;
const HEALTH_FLAGS = {
  interval: 'string',
  timeout: 'string',
  'start-period': 'string',
  'start-interval': 'string',
  retries: 'string',
} as const;
const NETWORKS = ['default', 'none', 'host'] as const;
const SECURITY = ['sandbox', 'insecure'] as const;

/** handleJSONArgs: JSON form is the argv; shell form the words joined into one script. */
export function commandLine(node: Node, args: readonly string[] = node.args): CommandLine {
  return node.json ? { form: 'exec', argv: [...args] } : { form: 'shell', script: args.join(' ') };
}

export function parseRun(node: Node, base: InstructionBase, escape: EscapeToken): RunInstruction {
  const flags = parseFlags(node.flags, RUN_FLAGS);
  const network = flags.string('network') ?? 'default';
  if (!(NETWORKS as readonly string[]).includes(network)) throw invalid(`invalid network mode ${goQuote(network)}`);
  const security = flags.string('security') ?? 'sandbox';
  if (!(SECURITY as readonly string[]).includes(security)) throw invalid(`security ${goQuote(security)} is not valid`);
  const mountSpecs = flags.strings('mount');
  return {
    kind: 'run',
    ...base,
    command: commandLine(node),
    // The shell, not the builder, expands variables in a RUN heredoc.
    heredocs: node.heredocs.map((h) => ({ name: h.name, content: h.content, chomp: h.chomp, expand: false })),
    mountSpecs,
    mounts: staticMounts(mountSpecs, escape),
    network: network as RunInstruction['network'],
    security: security as RunInstruction['security'],
    devices: flags.strings('device').map(parseRunDevice),
    flagsUsed: [...flags.used],
  };
}

/** Mounts that use no variable are final already; the others wait for the stage environment
 *  (but `from=` is checked now, as it may never use one). */
function staticMounts(specs: readonly string[], escape: EscapeToken): RunInstruction['mounts'] {
  const literal: WordExpander = (w) => processWord(w, undefined, { escape });
  let complete = true;
  const mounts = [];
  for (const spec of specs) {
    if (spec.includes('$')) {
      parseRunMount(spec);
      complete = false;
    } else {
      mounts.push(parseRunMount(spec, literal));
    }
  }
  return complete ? mounts : undefined;
}

export function parseCmd(node: Node, base: InstructionBase): CmdInstruction {
  parseFlags(node.flags, {});
  return { kind: 'cmd', ...base, command: commandLine(node) };
}

export function parseEntrypoint(node: Node, base: InstructionBase): EntrypointInstruction {
  parseFlags(node.flags, {});
  return { kind: 'entrypoint', ...base, command: commandLine(node) };
}

export function parseHealthcheck(node: Node, base: InstructionBase): HealthcheckInstruction {
  if (node.args.length === 0) throw invalid('HEALTHCHECK requires at least one argument');
  const type = node.args[0].toUpperCase();
  const rest = node.args.slice(1);
  const health: HealthConfig = { test: [], interval: 0, timeout: 0, startPeriod: 0, startInterval: 0, retries: 0 };
  if (type === 'NONE') {
    // BuildKit does not look at flags here: `HEALTHCHECK --interval=5s NONE` is accepted.
    if (rest.length !== 0) throw invalid('HEALTHCHECK NONE takes no arguments');
    return { kind: 'healthcheck', ...base, health: { ...health, test: ['NONE'] } };
  }
  const flags = parseFlags(node.flags, HEALTH_FLAGS);
  if (type !== 'CMD') throw invalid(`Unknown type ${goQuote(type)} in HEALTHCHECK (try CMD)`);
  const cmd = commandLine(node, rest);
  if (rest.length === 0) throw invalid('Missing command after HEALTHCHECK CMD');
  health.test = cmd.form === 'exec' ? ['CMD', ...cmd.argv] : ['CMD-SHELL', cmd.script];
  health.interval = interval(flags.string('interval'), 'interval');
  health.timeout = interval(flags.string('timeout'), 'timeout');
  health.startPeriod = interval(flags.string('start-period'), 'start-period');
  health.startInterval = interval(flags.string('start-interval'), 'start-interval');
  const retries = flags.string('retries');
  if (retries !== undefined && retries !== '') {
    if (!/^[+-]?[0-9]+$/.test(retries)) throw invalid(`strconv.ParseInt: parsing ${goQuote(retries)}: invalid syntax`);
    const n = Number.parseInt(retries, 10);
    if (n > 2 ** 31 - 1 || n < -(2 ** 31)) throw invalid(`strconv.ParseInt: parsing ${goQuote(retries)}: value out of range`);
    if (n < 0) throw invalid(`--retries cannot be negative (${n})`);
    health.retries = n;
  }
  return { kind: 'healthcheck', ...base, health };
}

/** parseOptInterval: empty or zero means "default"; anything else must be at least 1ms. */
function interval(value: string | undefined, name: string): number {
  if (value === undefined || value === '') return 0;
  const ns = parseGoDuration(value);
  if (ns === 0) return 0;
  if (ns < 1_000_000) throw invalid(`Interval ${goQuote(name)} cannot be less than 1ms`);
  return ns;
}
