// "Did you mean ...?" as BuildKit's util/suggest computes it: the option at the smallest
// Levenshtein distance below 3; an exact match means the value was not the problem.
// BuildKit breaks ties by Go's random map order (RNU is 2 edits from both ENV and RUN); here a
// tie goes to the option reachable by transposing letters, then to the first listed.
// https://github.com/moby/buildkit/blob/master/util/suggest/error.go

/** Edit distance; with `transpositions`, swapping two adjacent letters counts as one edit
 *  (optimal string alignment). */
export function editDistance(a: string, b: string, transpositions = false): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= t.length; j++) d[0][j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
      if (transpositions && i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[s.length][t.length];
}

/** The closest option, or undefined. Case-insensitive matching returns the option in the case
 *  of the input when the input is all lower or all upper case ("rnu" -> "run"). */
export function suggest(value: string, options: Iterable<string>, caseSensitive: boolean): string | undefined {
  const val = caseSensitive ? value : value.toLowerCase();
  let best: string | undefined;
  let min = 3;
  let minSwap = Infinity;
  for (const option of options) {
    const opt = caseSensitive ? option : option.toLowerCase();
    if (val === opt) return undefined;
    const d = editDistance(val, opt);
    const swap = editDistance(val, opt, true);
    if (d < min || (d === min && best !== undefined && swap < minSwap)) {
      min = d;
      minSwap = swap;
      best = caseSensitive ? opt : matchCase(opt, value);
    }
  }
  return best;
}

function matchCase(option: string, original: string): string {
  if (original === original.toLowerCase()) return option.toLowerCase();
  if (original === original.toUpperCase()) return option.toUpperCase();
  return option;
}

/** Append " (did you mean X?)" when there is a close option. */
export function withSuggestion(message: string, value: string, options: Iterable<string>, caseSensitive: boolean): string {
  const match = suggest(value, options, caseSensitive);
  return match === undefined ? message : `${message} (did you mean ${match}?)`;
}
