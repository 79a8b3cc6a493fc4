// `create` (and the first half of `run`): resolve the image, build the container record with
// docker's rules (src/runtime/spec.ts) and store it under a unique name.
import type { Engine } from '../engine.js';
import { MinidockError } from '../errors.js';
import { chainIds } from '../image/digest.js';
import { parseReference } from '../image/reference.js';
import { ImageStore } from '../image/store/store.js';
import type { Container } from './model.js';
import { buildContainer, type CreateOptions } from './spec.js';
import { ContainerStore, newContainerId } from './store.js';
import { withContainerMounts } from './volumes/index.js';

export type CreateRequest = Omit<CreateOptions, 'imageId' | 'layers' | 'name'> & {
  name?: string;
  /** `--mount` and `--volumes-from` values as typed (`-v` values are `binds`). */
  mountFlags?: string[];
  volumesFrom?: string[];
  /** `--network-alias`, `--ip` for the container's primary network. */
  networkAliases?: string[];
  ipAddress?: string;
};

/** The image and what a container of it needs: config and layer chain. */
export async function resolveRunImage(engine: Engine, image: string) {
  const images = new ImageStore(engine);
  const rec = images.find(image);
  if (!rec) {
    let shown = image;
    try {
      shown = parseReference(image).withDefaultTag().familiarString();
    } catch {
      /* show it as typed */
    }
    throw new MinidockError(`Unable to find image '${shown}' locally`, {
      kind: 'not-found',
      exitCode: 125,
      hint: 'minidock has no registry to pull from here: `minidock import`, `load` or `build` the image first',
    });
  }
  const config = await images.config(rec);
  const layers = chainIds(config.rootfs.diff_ids);
  for (const l of layers) {
    if (!images.snapshots.has(l)) {
      throw new MinidockError(`image ${rec.id.slice(7, 19)} is missing its unpacked layer ${l}`, { kind: 'corrupt', exitCode: 125, hint: 'remove the image and load it again' });
    }
  }
  return { rec, config, layers };
}

/** A container record in memory only (for --dry-run). */
export async function planContainer(engine: Engine, req: CreateRequest): Promise<Container> {
  const { rec, config, layers } = await resolveRunImage(engine, req.imageName);
  return buildContainer(newContainerId(), new Date().toISOString(), config, { ...req, name: req.name ?? 'dry-run', imageId: rec.id, layers });
}

/**
 * Volumes named or implied (`-v`, `--mount`, `--volumes-from`, the image's VOLUME) are made
 * first, under the volumes lock; the record is written inside it, and if that fails the
 * volumes made for it go again.
 */
export async function createContainer(engine: Engine, req: CreateRequest): Promise<Container> {
  const { rec, config, layers } = await resolveRunImage(engine, req.imageName);
  const store = new ContainerStore(engine);
  const flags = { volumes: req.binds, mounts: req.mountFlags ?? [], volumesFrom: req.volumesFrom ?? [], tmpfs: req.tmpfs, imageVolumes: config.config?.Volumes ?? undefined, cwd: process.cwd() };
  return withContainerMounts(engine, flags, (m) =>
    store.create((name) => {
      const c = buildContainer(newContainerId(), new Date().toISOString(), config, { ...req, name, imageId: rec.id, layers, binds: m.binds, mounts: m.mounts });
      c.Config.Volumes = m.configVolumes;
      Object.assign(c.HostConfig, { Mounts: m.hostMounts, VolumesFrom: m.volumesFrom, NetworkAliases: req.networkAliases ?? [], IPAddress: req.ipAddress });
      return c;
    }, req.name),
  );
}
