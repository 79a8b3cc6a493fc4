// COPY and ADD from syntax nodes: sources (paths and heredoc bodies), destination and flags.
// BuildKit: instructions/parse.go (parseCopy, parseAdd, parseSourcesAndDest).
import { invalid } from '../../errors.js';
import type { Node } from './ast.js';
import { parseFlags } from './flags.js';
import { chompHeredoc, heredocOf } from './heredoc.js';
import { expandWord, type EscapeToken } from './shell.js';
import type { AddInstruction, CopyInstruction, CopySource, InstructionBase } from './types.js';

const COPY_FLAGS = {
  chown: 'string',
  from: 'string',
  chmod: 'string',
  link: 'bool',
  parents: 'bool',
  exclude: 'strings',
} as const;

const ADD_FLAGS = {
  chown: 'string',
  chmod: 'string',
  link: 'bool',
  'keep-git-dir': 'bool',
  checksum: 'string',
  unpack: 'bool',
  exclude: 'strings',
} as const;

function sourcesAndDest(node: Node, command: 'COPY' | 'ADD'): { sources: CopySource[]; dest: string } {
  if (node.args.length < 2) {
    throw invalid(`${command} requires at least two arguments, but only one was provided. Destination could not be determined`);
  }
  const dest = node.args[node.args.length - 1];
  if (heredocOf(dest)) throw invalid(`${command} cannot accept a heredoc as a destination`);
  const bodies = new Map(node.heredocs.map((h) => [h.name, h]));
  const sources = node.args.slice(0, -1).map((src): CopySource => {
    const doc = heredocOf(src);
    if (!doc) return { kind: 'path', path: src };
    const content = bodies.get(doc.name)?.content ?? '';
    return {
      kind: 'heredoc',
      name: doc.name,
      content: doc.chomp ? chompHeredoc(content) : content,
      chomp: doc.chomp,
      expand: doc.expand,
    };
  });
  return { sources, dest };
}

export function parseCopy(node: Node, base: InstructionBase, escape: EscapeToken): CopyInstruction {
  const { sources, dest } = sourcesAndDest(node, 'COPY');
  const flags = parseFlags(node.flags, COPY_FLAGS);
  const from = flags.string('from');
  if (from !== undefined && usesVariables(from, escape)) {
    throw invalid(
      'variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround',
    );
  }
  return {
    kind: 'copy',
    ...base,
    sources,
    dest,
    from: from === '' ? undefined : from,
    chown: nonEmpty(flags.string('chown')),
    chmod: nonEmpty(flags.string('chmod')),
    link: flags.bool('link'),
    parents: flags.bool('parents'),
    exclude: flags.strings('exclude'),
  };
}

export function parseAdd(node: Node, base: InstructionBase): AddInstruction {
  const { sources, dest } = sourcesAndDest(node, 'ADD');
  const flags = parseFlags(node.flags, ADD_FLAGS);
  return {
    kind: 'add',
    ...base,
    sources,
    dest,
    chown: nonEmpty(flags.string('chown')),
    chmod: nonEmpty(flags.string('chmod')),
    link: flags.bool('link'),
    keepGitDir: flags.bool('keep-git-dir'),
    checksum: nonEmpty(flags.string('checksum')),
    unpack: flags.optionalBool('unpack'),
    exclude: flags.strings('exclude'),
  };
}

// BuildKit treats an empty flag value as unset (`--chown=` is no chown).
function nonEmpty(v: string | undefined): string | undefined {
  return v === '' ? undefined : v;
}

function usesVariables(word: string, escape: EscapeToken): boolean {
  try {
    const r = expandWord(word, undefined, { escape });
    return r.matched.size + r.unmatched.size > 0;
  } catch {
    return word.includes('$');
  }
}
