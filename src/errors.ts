// The one error type of the engine. Library code throws MinidockError with what was being
// done and a hint; only src/cli/main.ts turns errors into messages and exit codes.

/** Docker's exit codes for `run`/`create`/`start`/`exec` (see `docker run --help`, "Exit Status"). */
export const EXIT_ENGINE = 125;
export const EXIT_CANNOT_INVOKE = 126;
export const EXIT_NOT_FOUND = 127;

export type ErrorKind =
  | 'usage' // bad flag or argument value
  | 'not-found' // no such image / container / volume / network
  | 'conflict' // name in use, image in use, container in the wrong state
  | 'invalid' // malformed input: a Dockerfile, a reference, a tarball
  | 'corrupt' // the store holds something that fails verification
  | 'permission' // not root, or the kernel said EPERM
  | 'host' // a host command or kernel interface failed
  | 'internal';

export interface ErrorDetails {
  kind?: ErrorKind;
  /** Process exit code. Default: 125 for usage errors, 1 otherwise (as the docker CLI does). */
  exitCode?: number;
  /** One line that tells the user what to do next. */
  hint?: string;
  cause?: unknown;
  /** Values that explain the failure: a path, an argv, a line number. Printed with --debug. */
  context?: Record<string, unknown>;
}

export class MinidockError extends Error {
  readonly kind: ErrorKind;
  readonly exitCode: number;
  readonly hint?: string;
  readonly context?: Record<string, unknown>;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'MinidockError';
    this.kind = details.kind ?? 'internal';
    this.exitCode = details.exitCode ?? (this.kind === 'usage' ? EXIT_ENGINE : 1);
    this.hint = details.hint;
    this.context = details.context;
  }
}

export function usageError(message: string, hint?: string): MinidockError {
  return new MinidockError(message, { kind: 'usage', hint });
}

export function notFound(message: string, hint?: string): MinidockError {
  return new MinidockError(message, { kind: 'not-found', hint });
}

export function conflict(message: string, hint?: string): MinidockError {
  return new MinidockError(message, { kind: 'conflict', hint });
}

export function invalid(message: string, details: Omit<ErrorDetails, 'kind'> = {}): MinidockError {
  return new MinidockError(message, { ...details, kind: 'invalid' });
}

/** Wrap any error with what was being done: "mounting overlay for 3f2a: <cause>". */
export function wrap(doing: string, err: unknown, details: ErrorDetails = {}): MinidockError {
  if (err instanceof MinidockError) {
    return new MinidockError(`${doing}: ${err.message}`, {
      kind: details.kind ?? err.kind,
      exitCode: details.exitCode ?? err.exitCode,
      hint: details.hint ?? err.hint,
      context: { ...err.context, ...details.context },
      cause: err,
    });
  }
  const msg = err instanceof Error ? err.message : String(err);
  return new MinidockError(`${doing}: ${msg}`, { kind: 'internal', ...details, cause: err });
}

/** Node's errno errors carry `code` ('ENOENT', ...). */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}
