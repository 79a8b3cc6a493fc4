// docker's pattern for verbs over several containers: act on each in turn, print the name as
// given when it worked, print "Error response from daemon: …" when it did not, and exit 1 if
// any failed.
import type { Engine } from '../engine.js';
import type { Container } from '../runtime/model.js';
import { ContainerStore } from '../runtime/store.js';
import type { CliContext } from './context.js';

export async function eachContainer(ctx: CliContext, refs: string[], act: (engine: Engine, store: ContainerStore, c: Container) => Promise<void>, opts: { print?: boolean; concurrent?: boolean } = {}): Promise<number> {
  const engine = ctx.engine();
  const store = new ContainerStore(engine);
  const one = async (ref: string): Promise<boolean> => {
    try {
      const { container } = store.get(ref);
      await act(engine, store, container);
      if (opts.print ?? true) ctx.out(ref);
      return true;
    } catch (err) {
      ctx.err(`Error response from daemon: ${(err as Error).message}`);
      return false;
    }
  };
  // docker stops/kills/removes containers in parallel; output order follows completion.
  const results = opts.concurrent ? await Promise.all(refs.map(one)) : await refs.reduce<Promise<boolean[]>>(async (acc, r) => [...(await acc), await one(r)], Promise.resolve([]));
  return results.every(Boolean) ? 0 : 1;
}
