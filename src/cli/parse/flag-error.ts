// How docker reports a bad flag value. pflag wraps a parser's error as
// `invalid argument "1.5x" for "-m, --memory" flag: invalid suffix: 'x'`; run/create add
// their own errors unwrapped. Parsers here throw usage errors (exit 125) with docker's inner text.
import { MinidockError, usageError } from '../../errors.js';

/** A usage error with docker's text for a bad value. */
export function badValue(message: string): MinidockError {
  return usageError(message);
}

/** pflag's message for a value its parser rejected. `flag` is spelled as docker lists it: "-m, --memory". */
export function invalidArgument(value: string, flag: string, reason: string): MinidockError {
  return usageError(`invalid argument ${JSON.stringify(value)} for ${JSON.stringify(flag)} flag: ${reason}`);
}

/**
 * Wraps a parser for use as a commander option parser: any error becomes pflag's
 * "invalid argument … for … flag: …" usage error.
 */
export function flagParser<T>(flag: string, parse: (value: string) => T): (value: string) => T {
  return (value: string) => {
    try {
      return parse(value);
    } catch (e) {
      throw invalidArgument(value, flag, e instanceof Error ? e.message : String(e));
    }
  };
}
