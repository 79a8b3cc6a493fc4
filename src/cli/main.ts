// The CLI entry: finds which command was typed, loads only that command's module, parses
// with commander, and is the one place that turns errors into messages and exit codes.
import { Command, CommanderError } from 'commander';
import { MinidockError } from '../errors.js';
import { createEngine, type Engine } from '../engine.js';
import { resolveRoot } from '../paths.js';
import { RealHost } from '../host/real.js';
import { DryRunHost } from '../host/script.js';
import type { CliContext, CommandModule } from './context.js';
import { GROUPS, ROUTES } from './routes.js';

declare const MINIDOCK_VERSION: string | undefined;
export const VERSION = typeof MINIDOCK_VERSION === 'string' ? MINIDOCK_VERSION : '0.1.0';

/** Global options that take a value: they must be skipped when looking for the command word. */
const GLOBAL_WITH_VALUE = new Set(['--root', '-l', '--log-level']);

interface Located {
  words: string[]; // e.g. ['image', 'ls']
  key: string | undefined; // key into ROUTES
}

/** Find the command words in argv (after global options), without parsing anything else. */
export function locateCommand(argv: string[]): Located {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (words.length > 0) break; // options of the command itself
      if (GLOBAL_WITH_VALUE.has(a)) i++;
      continue;
    }
    words.push(a);
    if (words.length === 1 && !(a in GROUPS)) break;
    if (words.length === 2) break;
  }
  const key = words.join(' ');
  return { words, key: key in ROUTES ? key : undefined };
}

function renderTopHelp(): string {
  const top: string[] = [];
  for (const [key, r] of Object.entries(ROUTES)) {
    if (!key.includes(' ') && !top.includes(key)) top.push(`  ${key.padEnd(12)}${r.summary}`);
  }
  const groups = Object.entries(GROUPS)
    .filter(([g]) => Object.keys(ROUTES).some((k) => k.startsWith(`${g} `)))
    .map(([g, s]) => `  ${g.padEnd(12)}${s}`);
  return [
    'Usage:  minidock [OPTIONS] COMMAND',
    '',
    'A daemonless, Docker-compatible container engine',
    '',
    'Commands:',
    ...top,
    '',
    'Management Commands:',
    ...groups,
    '',
    'Global Options:',
    '      --root string   Root of the engine state (default "/var/lib/minidock", env MINIDOCK_ROOT)',
    '  -D, --debug         Print every host step (mounts, cgroup writes, commands) as it runs',
    '  -v, --version       Print version information and quit',
    '',
    "Run 'minidock COMMAND --help' for more information on a command.",
    '',
  ].join('\n');
}

function renderGroupHelp(group: string): string {
  const verbs = Object.entries(ROUTES)
    .filter(([k]) => k.startsWith(`${group} `))
    .map(([k, r]) => `  ${k.slice(group.length + 1).padEnd(12)}${r.summary}`);
  return [`Usage:  minidock ${group} COMMAND`, '', GROUPS[group], '', 'Commands:', ...verbs, '', `Run 'minidock ${group} COMMAND --help' for more information on a command.`, ''].join('\n');
}

/** Writes text as a whole line (an empty string prints nothing: an empty list is no output). */
function write(stream: NodeJS.WriteStream, text: string): void {
  if (text === '') return;
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Runs the CLI and returns the exit code (the launcher sets process.exitCode). */
export async function main(argv: string[]): Promise<number> {
  const loc = locateCommand(argv);
  const globalsOnly = argv.slice(0, Math.max(0, argv.indexOf(loc.words[0] ?? '\0')));
  const scan = loc.words.length ? globalsOnly : argv;
  if (scan.includes('--version') || scan.includes('-v')) {
    write(process.stdout, `minidock version ${VERSION}`);
    return 0;
  }
  if (!loc.key) {
    const [first] = loc.words;
    if (!first || scan.includes('--help') || scan.includes('-h') || first === 'help') {
      write(process.stdout, renderTopHelp());
      return 0;
    }
    if (first in GROUPS && loc.words.length === 1) {
      write(process.stdout, renderGroupHelp(first));
      return 0;
    }
    write(process.stderr, `minidock: '${loc.words.join(' ')}' is not a minidock command.\nSee 'minidock --help'`);
    return 125;
  }

  const mod = (await ROUTES[loc.key].load()).default;
  const program = new Command('minidock')
    .option('--root <dir>', 'root of the engine state')
    .option('-D, --debug', 'print every host step')
    .option('-l, --log-level <level>', 'ignored; accepted for docker compatibility')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: () => {} });

  let parent = program;
  if (loc.words.length === 2) parent = program.command(loc.words[0]).exitOverride().enablePositionalOptions();
  const cmd = parent.command(loc.words[loc.words.length - 1]).exitOverride().helpOption('--help', 'Print usage');
  cmd.configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: () => {} });
  mod.define(cmd);

  let result: number | void = 0;
  cmd.action(async (...params: unknown[]) => {
    const command = params[params.length - 1] as Command;
    const opts = command.opts();
    const args = command.args;
    const globals = program.opts() as { root?: string; debug?: boolean };
    const ctx = makeContext(resolveRoot(globals.root), globals.debug ?? false);
    if ((mod.needsRoot ?? true) && process.geteuid?.() !== 0) {
      throw new MinidockError('minidock must run as root: it creates namespaces, mounts, cgroups and its store is root-owned', {
        kind: 'permission',
        hint: 'run it with sudo, or as root',
      });
    }
    result = await mod.action(ctx, args, opts, command);
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof result === 'number' ? result : 0;
  } catch (err) {
    return reportError(err, loc.words.join(' '), mod.engineExitCode ?? 1, argv.includes('--debug') || argv.includes('-D'));
  }
}

function makeContext(root: string, debug: boolean): CliContext {
  const engines = new Map<boolean, Engine>();
  return {
    root,
    debug,
    engine(opts = {}) {
      const dry = opts.dryRun ?? false;
      let e = engines.get(dry);
      if (!e) {
        e = createEngine({ host: makeHost(dry, debug), root, debug });
        engines.set(dry, e);
      }
      return e;
    },
    out: (text) => write(process.stdout, text),
    err: (text) => write(process.stderr, text),
  };
}

function makeHost(dryRun: boolean, debug: boolean) {
  if (dryRun) return new DryRunHost();
  return new RealHost(debug ? (line) => process.stderr.write(`${line}\n`) : undefined);
}

function reportError(err: unknown, command: string, engineExitCode: number, debug: boolean): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return 0;
    if (err.code === 'commander.missingArgument') {
      // cobra's argument check: docker prints this and exits 1
      write(process.stderr, `minidock: 'minidock ${command}' requires at least 1 argument.\nSee 'minidock ${command} --help'.`);
      return 1;
    }
    // docker's wording: "unknown flag: --foo\nSee 'docker run --help'." and exit 125
    const msg = err.message
      .replace(/^error: /, '')
      .replace(/^unknown option '(.*)'$/, 'unknown flag: $1')
      .replace(/\(Did you mean (.*)\?\)/, '(did you mean $1?)');
    write(process.stderr, `minidock: ${msg}\nSee 'minidock ${command} --help'.`);
    return 125;
  }
  if (err instanceof MinidockError) {
    // docker words engine failures as the daemon's response ("Error response from daemon: …",
    // prefixed "docker: " by run/create/start/exec) and bad input as the CLI's own.
    const daemonSide = err.kind === 'not-found' || err.kind === 'conflict';
    const prefix =
      err.kind === 'usage' ? 'minidock: ' : engineExitCode === 125 ? 'minidock: Error response from daemon: ' : daemonSide ? 'Error response from daemon: ' : 'Error: ';
    write(process.stderr, `${prefix}${err.message}${err.hint ? `\nHint: ${err.hint}` : ''}`);
    if (debug) {
      if (err.context) write(process.stderr, `context: ${JSON.stringify(err.context, null, 2)}`);
      write(process.stderr, String(err.stack));
      if (err.cause) write(process.stderr, `caused by: ${(err.cause as Error)?.stack ?? String(err.cause)}`);
    }
    if (err.kind === 'usage') return 125;
    return err.exitCode !== 1 ? err.exitCode : engineExitCode;
  }
  const e = err as Error;
  write(process.stderr, `Error: ${e?.message ?? String(err)}`);
  write(process.stderr, debug ? String(e?.stack) : 'Hint: this is a bug in minidock; run again with --debug for the stack trace');
  return engineExitCode;
}

