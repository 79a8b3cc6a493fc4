// Where in a Dockerfile something happened, and the error that says so. Every front-end error
// reads "Dockerfile:12: <what>" so that a user can jump to the line, as BuildKit's
// "dockerfile parse error on line 12" lets them.
import { MinidockError, invalid } from '../../errors.js';

export interface SourceRange {
  /** 1-based first line of the instruction (or directive). */
  line: number;
  /** 1-based last line, heredoc bodies and continuation lines included. */
  endLine: number;
}

export const DEFAULT_FILE = 'Dockerfile';

/** A MinidockError located in a Dockerfile. `range` may be omitted for whole-file errors. */
export function dockerfileError(file: string, range: SourceRange | number | undefined, message: string, cause?: unknown): MinidockError {
  const r = typeof range === 'number' ? { line: range, endLine: range } : range;
  const where = r ? `${file}:${r.line}` : file;
  return invalid(`${where}: ${message}`, {
    context: r ? { file, line: r.line, endLine: r.endLine } : { file },
    cause,
  });
}

/** The message of an error as thrown by this front end's inner layers (plain text, no location). */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Re-throw an inner error with the file and line of the instruction it came from. */
export function locate(file: string, range: SourceRange, err: unknown): MinidockError {
  if (err instanceof MinidockError && err.context && 'file' in err.context) return err;
  return dockerfileError(file, range, messageOf(err), err);
}
