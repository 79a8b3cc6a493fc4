// Images a build names (FROM, COPY --from): looked up in the local store only (there is no
// registry client yet), each name announced once with BuildKit's "load metadata" vertex.
import { notFound } from '../../errors.js';
import type { ImageRecord } from '../store/store.js';
import type { BuildCache } from './build-cache.js';
import type { Progress } from './progress/progress.js';
import { fullName } from './stage-plan.js';

export class ImageResolver {
  private readonly shown = new Set<string>();

  constructor(
    private readonly cache: BuildCache,
    private readonly progress: Progress,
  ) {}

  resolve(ref: string): { rec: ImageRecord; full: string } {
    const full = fullName(ref);
    const meta = this.shown.has(full) ? undefined : this.progress.vertex(`[internal] load metadata for ${full}`);
    this.shown.add(full);
    const rec = this.cache.image(ref);
    if (!rec) {
      const msg = `${ref}: failed to resolve source metadata for ${full}: not found`;
      meta?.error(msg);
      throw notFound(msg, 'minidock build uses local images only: import, load or pull the image first');
    }
    meta?.done();
    return { rec, full };
  }
}
