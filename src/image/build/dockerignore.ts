// Reading `.dockerignore`: github.com/moby/patternmatcher/ignorefile.ReadAll. One pattern a
// line; a UTF-8 BOM on the first line is dropped; lines starting with `#` are comments (only
// at column 0: " #x" is a pattern); whitespace is trimmed; `!` marks an exception; patterns are
// cleaned like paths and a leading `/` is dropped (the context root is the root).
// BuildKit first looks for `<Dockerfile name>.dockerignore` beside the Dockerfile and uses it
// instead of the context's `.dockerignore` (https://docs.docker.com/build/concepts/context/).
import { cleanPath } from '../../overlay/securejoin.js';

export const IGNORE_FILE = '.dockerignore';

export function parseIgnoreFile(text: string): string[] {
  const out: string[] = [];
  let lines = text.split('\n');
  if (lines.length > 0 && lines[0].startsWith('\ufeff')) lines[0] = lines[0].slice(1);
  // bufio.Scanner's ScanLines drops a trailing \r.
  lines = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    out.push(invert ? `!${pattern}` : pattern);
  }
  return out;
}

/** Where the ignore file is looked for, first match wins: `<dockerfile>.dockerignore` (the
 *  Dockerfile's own, beside it), then the context's `.dockerignore`. */
export function ignoreFileCandidates(dockerfilePath: string | undefined, contextDir: string): string[] {
  const out: string[] = [];
  if (dockerfilePath !== undefined) out.push(`${dockerfilePath}${IGNORE_FILE}`);
  out.push(`${contextDir}/${IGNORE_FILE}`);
  return out;
}
