// What containers hold on to: images (rmi refuses to delete an image a container uses) and
// snapshots (garbage collection never removes a lowerdir of an existing container).
import type { Engine } from '../engine.js';
import type { ImageUser } from '../image/remove.js';
import { liveState } from './lifecycle/status.js';
import { containerPaths } from './prepare.js';
import { ContainerStore } from './store.js';

export function imageUsers(engine: Engine): (imageId: string) => ImageUser[] {
  let cache: { image: string; id: string; running: boolean }[] | undefined;
  return (imageId) => {
    cache ??= new ContainerStore(engine).list().map(({ container, state }) => {
      const s = liveState(state, containerPaths(engine, container.Id).exitFile);
      return { image: container.Image, id: container.Id, running: s.Status === 'running' || s.Status === 'paused' || s.Status === 'restarting' };
    });
    return cache.filter((c) => c.image === imageId).map(({ id, running }) => ({ id, running }));
  };
}

export function snapshotsInUse(engine: Engine): string[] {
  return new ContainerStore(engine).list().flatMap((e) => e.container.Layers);
}
