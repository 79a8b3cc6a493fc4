// What a step's progress vertex is called: the instruction as written, keyword upper-cased,
// variables the stage defines expanded and unknown ones left as written (BuildKit's
// processCmdEnv with RawQuotes and SkipUnsetEnv), a heredoc RUN followed by its first line.
import type { Instruction, StageScope } from '../dockerfile/index.js';
import { expandWord, type EscapeToken } from '../dockerfile/shell.js';

export function stepName(inst: Instruction, scope: StageScope, escape: EscapeToken): string {
  const firstLine = inst.source.split('\n')[0];
  let text = firstLine;
  try {
    text = expandWord(firstLine, scope.env, { escape, rawQuotes: true, skipUnsetEnv: true }).result;
  } catch {
    // An expansion error is reported by the step itself; the label keeps the raw text.
  }
  const sp = text.indexOf(' ');
  text = sp < 0 ? text.toUpperCase() : `${text.slice(0, sp).toUpperCase()}${text.slice(sp)}`;
  if (inst.kind === 'run' && inst.heredocs.length > 0) text += ` (${summarizeHeredoc(inst.heredocs[0].content)})`;
  return text;
}

/** summarizeHeredoc: the first line of the trimmed body, "..." when there is more. */
export function summarizeHeredoc(doc: string): string {
  const lines = doc.trim().replace(/\r\n/g, '\n').split('\n');
  return lines.length > 1 ? `${lines[0]}...` : lines[0];
}
