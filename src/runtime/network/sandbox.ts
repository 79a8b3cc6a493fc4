// `containers/<id>/network.json`: what a running container has on the host — its netns, one
// interface per network, the published ports. Written at attach, removed at detach; its
// absence means "not attached" (and detach then works from names derived from the ids).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../../engine.js';
import { MinidockError, errnoCode } from '../../errors.js';
import { writeJsonAtomic } from '../../state/atomic.js';
import { SandboxSchema, type Sandbox } from './model.js';

export function sandboxFile(engine: Engine, containerId: string): string {
  return join(engine.paths.container(containerId), 'network.json');
}

export function readSandbox(engine: Engine, containerId: string): Sandbox | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(sandboxFile(engine, containerId), 'utf8'));
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = SandboxSchema.safeParse(raw);
  if (!parsed.success) throw new MinidockError(`container ${containerId.slice(0, 12)}: network.json is invalid: ${parsed.error.message}`, { kind: 'corrupt' });
  return parsed.data;
}

export function writeSandbox(engine: Engine, containerId: string, s: Sandbox): void {
  writeJsonAtomic(sandboxFile(engine, containerId), s);
}

export function removeSandbox(engine: Engine, containerId: string): void {
  rmSync(sandboxFile(engine, containerId), { force: true });
}
