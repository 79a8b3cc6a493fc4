// Which stage a name refers to, with BuildKit's two different rules: FROM binds the latest
// stage of that (lower-case) name defined before it, while COPY --from and RUN --mount from=
// take a name in any case (the last stage so named) or a 0-based index. Anything else is an
// image reference. (dockerfile2llb/convert.go: addState, findStateByName, findStateByIndex)
import { invalid } from '../../errors.js';
import type { Stage } from './types.js';

/** The stage an (expanded) FROM base names, if it names an earlier stage. */
export function fromStage(stages: readonly Stage[], stageIndex: number, base: string): Stage | undefined {
  let found: Stage | undefined;
  for (const s of stages.slice(0, stageIndex)) if (s.name !== undefined && s.name === base) found = s;
  return found;
}

/** The stage `COPY --from=<ref>` names, or undefined when ref is an image. A numeric ref must be
 *  a valid index. */
export function copyFromStage(stages: readonly Stage[], ref: string): Stage | undefined {
  if (/^[+-]?[0-9]+$/.test(ref)) {
    const index = Number.parseInt(ref, 10);
    if (index < 0 || index >= stages.length) throw invalid(`invalid stage index ${index}`);
    return stages[index];
  }
  const name = ref.toLowerCase();
  let found: Stage | undefined;
  for (const s of stages) if (s.name === name) found = s;
  return found;
}
