// A separate minidock process for the concurrency tests (bundled by the test with esbuild):
//   create ROOT NAME N   create volume NAME N times, print each CreatedAt
//   containers ROOT N    create N containers, each with a new named and an anonymous volume
//   prune ROOT N         `volume prune -a` N times
import { createEngine } from '../../../src/engine.js';
import { RealHost } from '../../../src/host/real.js';
import { ContainerStore } from '../../../src/runtime/store.js';
import { createVolume } from '../../../src/runtime/volumes/commands.js';
import { withContainerMounts } from '../../../src/runtime/volumes/create.js';
import { pruneVolumes } from '../../../src/runtime/volumes/prune.js';
import { makeContainer } from '../../unit/volumes/fixtures.js';

const [mode, root, ...rest] = process.argv.slice(2);
const engine = createEngine({ host: new RealHost(), root });

if (mode === 'create') {
  const [name, n] = rest;
  for (let i = 0; i < Number(n); i++) console.log((await createVolume(engine, { name })).CreatedAt);
} else if (mode === 'containers') {
  const store = new ContainerStore(engine);
  for (let i = 0; i < Number(rest[0]); i++) {
    await withContainerMounts(engine, { volumes: [`racy${process.pid}-${i}:/x`, '/anon'] }, (m) =>
      store.create((name) => makeContainer({ name, mounts: m.mounts })),
    );
  }
} else if (mode === 'prune') {
  let deleted = 0;
  for (let i = 0; i < Number(rest[0]); i++) deleted += (await pruneVolumes(engine, { all: true })).deleted.length;
  console.log(deleted);
} else {
  throw new Error(`unknown mode ${mode}`);
}
