// Shared by the volume integration tests: a fresh engine root per test (removed after it),
// and containers created the way `create` will create them: flags through
// withContainerMounts, the record written inside its persist callback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../../../src/engine.js';
import { RealHost } from '../../../src/host/real.js';
import type { Container } from '../../../src/runtime/model.js';
import { ContainerStore } from '../../../src/runtime/store.js';
import { type ContainerMountFlags, withContainerMounts } from '../../../src/runtime/volumes/create.js';
import { makeContainer } from '../../unit/volumes/fixtures.js';

export const isRoot = process.geteuid?.() === 0;

export class TempEngine {
  readonly dir = mkdtempSync(join(tmpdir(), 'minidock-vol-'));
  readonly engine: Engine = createEngine({ host: new RealHost(), root: join(this.dir, 'root') });
  readonly containers = new ContainerStore(this.engine);

  /** A created container with these mount flags (and these image layers). */
  async create(flags: ContainerMountFlags, o: { name?: string; layers?: string[] } = {}): Promise<Container> {
    return withContainerMounts(this.engine, flags, (m) =>
      this.containers.create((name) => {
        const c = makeContainer({ name, mounts: m.mounts, binds: m.binds, layers: o.layers });
        c.Config.Volumes = m.configVolumes;
        return c;
      }, o.name),
    );
  }

  /** What `rm` does to the record (the lead's remove also stops and unmounts). */
  remove(c: Container): void {
    this.containers.removeFiles(c.Id);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
