// What process a RUN starts, heredocs included, as BuildKit's dispatchRun decides it:
//  - exec form: the argv as written;
//  - shell form: the stage's SHELL (default /bin/sh -c) plus the command text;
//  - `RUN <<EOF` alone: the body is the script; if it starts with #!, it is written 0755 to a
//    read-only /dev/pipes/EOF and that path is run through the shell instead;
//  - anything else with heredocs (`RUN <<EOF python3`, several heredocs): the line and the
//    bodies are rebuilt into one text for the shell, which reads the heredocs itself.
// https://github.com/moby/buildkit/blob/master/frontend/dockerfile/dockerfile2llb/convert.go
import { posix } from 'node:path';
import { invalid } from '../../errors.js';
import { chompHeredoc, heredocOf } from './heredoc.js';
import type { RunInstruction } from './types.js';

export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];
const PIPES_DIR = '/dev/pipes/';

export interface RunFile {
  /** Absolute path inside the container, on a read-only mount that exists only for this RUN. */
  path: string;
  content: string;
  mode: number;
}

export interface RunPlan {
  argv: string[];
  files: RunFile[];
}

export function planRun(run: RunInstruction, shell: readonly string[] = DEFAULT_SHELL): RunPlan {
  if (run.command.form === 'exec') {
    if (run.heredocs.length > 0) throw invalid(`parsing produced an invalid run command: ${JSON.stringify(run.command.argv)}`);
    return { argv: [...run.command.argv], files: [] };
  }
  const script = run.command.script;
  if (run.heredocs.length === 0) return { argv: [...shell, script], files: [] };
  if (heredocOf(script)) {
    const doc = run.heredocs[0];
    const body = doc.chomp ? chompHeredoc(doc.content) : doc.content;
    if (body.startsWith('#!')) {
      const path = posix.join(PIPES_DIR, doc.name);
      return { argv: [...shell, path], files: [{ path, content: body, mode: 0o755 }] };
    }
    return { argv: [...shell, body], files: [] };
  }
  let full = script;
  for (const doc of run.heredocs) full += `\n${doc.content}${doc.name}`;
  return { argv: [...shell, full], files: [] };
}
