// A failed build, with what the CLI needs to report it as docker does: the message (BuildKit's
// wording, e.g. `process "/bin/sh -c exit 3" did not complete successfully: exit code: 3`),
// the failed step's label and last output lines, and where in the Dockerfile it came from.
import { MinidockError } from '../../errors.js';
import type { LogLine } from './progress/progress.js';
import type { SourceRange } from './progress/report.js';

export interface FailedStep {
  name: string;
  tail: LogLine[];
}

export interface FailureSource {
  file: string;
  text: string;
  range: SourceRange;
}

export class BuildFailure extends MinidockError {
  constructor(
    message: string,
    readonly step: FailedStep | undefined,
    readonly source: FailureSource | undefined,
    cause: unknown,
  ) {
    const inner = cause instanceof MinidockError ? cause : undefined;
    super(message, { kind: inner?.kind ?? 'internal', exitCode: 1, hint: inner?.hint, context: inner?.context, cause });
    this.name = 'BuildFailure';
  }
}
