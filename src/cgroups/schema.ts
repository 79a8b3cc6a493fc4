// The CgroupPlan as the runtime stores it in a container's state.json: validated when read
// back (zod at the trust boundary), so later commands act on exactly the recorded paths.
import * as z from 'zod/mini';
import type { CgroupPlan } from './driver.js';

const Str = z.string();

const StepSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('mkdir'), path: Str }),
  z.object({ op: z.literal('write'), path: Str, value: Str, why: Str }),
  z.object({ op: z.literal('copy-if-empty'), path: Str, from: Str }),
  z.object({ op: z.literal('enable-controllers'), path: Str, controllers: z.array(Str) }),
]);

export const CgroupPlanSchema = z.object({
  mode: z.enum(['v1', 'v2']),
  name: Str,
  parent: Str,
  dirs: z.array(
    z.object({
      path: Str.check(z.refine((p) => p.startsWith('/') && !p.split('/').includes('..'), 'an absolute path without ..')),
      hierarchy: Str,
      role: z.enum(['parent', 'container']),
      removeWhenEmpty: z.boolean(),
    }),
  ),
  steps: z.array(StepSchema),
  procs: z.array(Str),
  controllerDirs: z.record(Str, Str),
  warnings: z.array(Str),
});

/** Compile-time check that the schema and the CgroupPlan type agree both ways. */
type Parsed = z.infer<typeof CgroupPlanSchema>;
const _toPlan = (p: Parsed): CgroupPlan => p;
const _fromPlan = (p: CgroupPlan): Parsed => p;
void _toPlan;
void _fromPlan;

export function parseCgroupPlan(value: unknown): CgroupPlan {
  return CgroupPlanSchema.parse(value);
}
