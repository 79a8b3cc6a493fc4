// Which checks run: the `# check=` directive, or the BUILDKIT_DOCKERFILE_CHECK build arg that
// overrides it, as BuildKit's linter.ParseLintOptions reads them.
// https://docs.docker.com/reference/dockerfile/#check
import { invalid } from '../../errors.js';
import { findDirective } from './directives.js';
import { parseGoBool } from './go-text.js';

export interface CheckOptions {
  skip: 'all' | Set<string>;
  /** `error=true`: findings fail the build. */
  error: boolean;
}

/**
 * Which rules to run: the BUILDKIT_DOCKERFILE_CHECK build arg if given, else the `# check=`
 * directive; `skip=A,B` or `skip=all` and `error=true|false`, separated by `;`.
 */
export function checkOptions(text: string, buildArgs?: Readonly<Record<string, string>>): CheckOptions {
  const fromArg = buildArgs?.BUILDKIT_DOCKERFILE_CHECK;
  return parseCheckOptions(fromArg ?? findDirective('check', text)?.value ?? '');
}

export function parseCheckOptions(value: string): CheckOptions {
  const out: CheckOptions = { skip: new Set(), error: false };
  if (value.trim() === '') return out;
  for (const part of value.trim().split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw invalid(`failed to parse check options: invalid check option "${part}"`);
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 'skip') {
      out.skip = v === 'all' ? 'all' : new Set(v.split(',').map((r) => r.trim()));
    } else if (k === 'error') {
      const b = parseGoBool(v);
      if (b === undefined) throw invalid(`failed to parse check options: failed to parse check option "${part}"`);
      out.error = b;
    } else if (k !== 'experimental') {
      // experimental= opts in to rules minidock does not implement (CopyIgnoredFile, ...).
      throw invalid(`failed to parse check options: invalid check option "${k}"`);
    }
  }
  return out;
}
