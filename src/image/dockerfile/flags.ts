// Instruction flags (`COPY --from=x`, `RUN --mount=...`), checked against what each instruction
// accepts, with BuildKit's rules (instructions/bflag.go): a value is given as `--name=value`; a
// boolean may be bare; a repeatable flag collects its values; anything else is an error.
import { invalid } from '../../errors.js';
import { withSuggestion } from './suggest.js';

export type FlagKind = 'bool' | 'string' | 'strings';
export type FlagSpec = Readonly<Record<string, FlagKind>>;

export class ParsedFlags {
  constructor(
    private readonly values: ReadonlyMap<string, string | boolean | string[]>,
    /** Flag names given, in order of first use. */
    readonly used: readonly string[],
  ) {}

  string(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  bool(name: string): boolean {
    return this.values.get(name) === true;
  }

  /** A boolean flag's value only if it was given (ADD --unpack distinguishes unset from false). */
  optionalBool(name: string): boolean | undefined {
    const v = this.values.get(name);
    return typeof v === 'boolean' ? v : undefined;
  }

  strings(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : [];
  }
}

/** Check `flags` (as the parser extracted them: "--name=value") against `spec`. */
export function parseFlags(flags: readonly string[], spec: FlagSpec): ParsedFlags {
  const values = new Map<string, string | boolean | string[]>();
  const used: string[] = [];
  for (const flag of flags) {
    if (!flag.startsWith('--')) throw invalid(`Arg should start with -- : ${flag}`);
    if (flag === '--') break;
    const eq = flag.indexOf('=', 2);
    const name = eq < 0 ? flag.slice(2) : flag.slice(2, eq);
    const value = eq < 0 ? undefined : flag.slice(eq + 1);
    const kind = spec[name];
    if (kind === undefined) {
      throw invalid(withSuggestion(`unknown flag: --${name}`, `--${name}`, Object.keys(spec).map((k) => `--${k}`), true));
    }
    if (used.includes(name) && kind !== 'strings') throw invalid(`duplicate flag specified: --${name}`);
    if (!used.includes(name)) used.push(name);
    switch (kind) {
      case 'bool': {
        if (value === '') throw invalid(`missing a value on flag: --${name}`);
        const lower = value?.toLowerCase();
        if (lower !== undefined && lower !== 'true' && lower !== 'false') {
          throw invalid(`expecting boolean value for flag --${name}, not: ${value}`);
        }
        values.set(name, lower !== 'false');
        break;
      }
      case 'string':
        if (value === undefined) throw invalid(`missing a value on flag: --${name}`);
        values.set(name, value);
        break;
      case 'strings': {
        if (value === undefined) throw invalid(`missing a value on flag: --${name}`);
        const list = values.get(name);
        values.set(name, Array.isArray(list) ? [...list, value] : [value]);
        break;
      }
    }
  }
  return new ParsedFlags(values, used);
}
