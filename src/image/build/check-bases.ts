// `build --check` knows a base image's environment and shell when the image is local, so that
// UndefinedVar sees the variables the image defines (BuildKit reads them from the registry).
// Lint takes a synchronous lookup; the configs are read here first, by expanded FROM name.
import { buildContext, expandFrom, parseDockerfile, type BaseImageInfo, type BuildArgs } from '../dockerfile/index.js';
import type { ImageStore } from '../store/store.js';

export async function baseImageInfo(store: ImageStore, text: string, file: string, buildArgs: BuildArgs): Promise<Map<string, BaseImageInfo>> {
  const out = new Map<string, BaseImageInfo>();
  let refs: string[];
  try {
    const df = parseDockerfile(text, { file });
    const ctx = buildContext(df, { buildArgs });
    refs = df.stages.map((s) => expandFrom(s, ctx).base);
  } catch {
    return out; // lint reports the error itself
  }
  for (const ref of new Set(refs)) {
    const rec = store.find(ref);
    if (!rec) continue;
    const cfg = (await store.config(rec)).config;
    out.set(ref, { env: cfg?.Env ?? [], shell: cfg?.Shell ?? [] });
  }
  return out;
}
