// `commit`: a container's changes become an image. The upper dir is archived as an OCI
// layer (overlay/diff.ts: whiteouts -> `.wh.` files, opaque dirs -> `.wh..wh..opq`), hashed
// into a blob and unpacked into a snapshot in one pass, on top of the container's image.
// Like docker (daemon/commit.go, image.NewChildImage):
// - the running container is paused for the read unless `pause: false`;
// - config = the container's (image config merged with the run options at create time:
//   Cmd, Entrypoint, Env, WorkingDir, User, ExposedPorts, Labels, Volumes, StopSignal),
//   then the `--change` edits;
// - history gains one entry: created, author, created_by = the container's Cmd joined by
//   spaces, comment = the message; a commit without changes adds no layer (empty_layer);
// - the new image's parent is the container's image.
import { mkdirSync } from 'node:fs';
import { openCgroups, parseCgroupPlan } from '../cgroups/index.js';
import type { Engine } from '../engine.js';
import { MinidockError, notFound } from '../errors.js';
import { tee } from '../image/tee.js';
import { MediaType, type ContainerConfig, type History, type ImageConfig } from '../image/oci.js';
import type { ImageRecord, NewLayer } from '../image/store/store.js';
import { ImageStore } from '../image/store/store.js';
import { diffUpper } from '../overlay/diff.js';
import { liveState } from './lifecycle/status.js';
import type { Container } from './model.js';
import { containerPaths } from './prepare.js';
import { ContainerStore } from './store.js';

/** sha256 of an empty tar (two zero blocks): docker's DigestSHA256EmptyTar. */
export const EMPTY_TAR_DIGEST = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

export interface CommitOptions {
  /** Full reference to tag the image with. */
  ref?: string;
  author?: string;
  /** `-m`: the history entry's comment. */
  message?: string;
  /** `--change` edits, already parsed by the caller, applied last. */
  editConfig?: (config: ContainerConfig) => ContainerConfig;
  /** Default true: freeze a running container while its changes are read. */
  pause?: boolean;
  now?: Date;
}

/** The container's config in image form: the fields an image carries. */
export function committedConfig(base: ContainerConfig | null | undefined, c: Container['Config']): ContainerConfig {
  const out: ContainerConfig = { ...(base ?? {}) };
  const set = <K extends keyof ContainerConfig>(k: K, v: ContainerConfig[K] | undefined) => {
    if (v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) delete out[k];
    else out[k] = v;
  };
  set('User', c.User || undefined);
  set('Env', c.Env.length ? c.Env : undefined);
  set('Cmd', c.Cmd ?? undefined);
  set('Entrypoint', c.Entrypoint ?? undefined);
  set('WorkingDir', c.WorkingDir || undefined);
  set('Labels', c.Labels);
  set('ExposedPorts', c.ExposedPorts ?? undefined);
  set('Volumes', c.Volumes ?? undefined);
  set('StopSignal', c.StopSignal || undefined);
  return out;
}

/** The history entry docker writes for a commit. */
export function commitHistory(c: Container['Config'], created: string, opts: { author?: string; message?: string; empty: boolean }): History {
  return {
    created,
    ...(opts.author ? { author: opts.author } : {}),
    created_by: (c.Cmd ?? []).join(' '),
    ...(opts.message ? { comment: opts.message } : {}),
    ...(opts.empty ? { empty_layer: true } : {}),
  };
}

/** Runs `fn` with the container frozen when it is running (and `pause`), its lock held. */
async function whileHeld<T>(engine: Engine, c: Container, pause: boolean, fn: () => Promise<T>): Promise<T> {
  const store = new ContainerStore(engine);
  return store.locked(c.Id, async () => {
    const state = liveState(store.readState(c.Id), containerPaths(engine, c.Id).exitFile);
    if (!pause || state.Status !== 'running' || !state.Cgroup) return fn();
    const plan = parseCgroupPlan(state.Cgroup);
    const cgroups = openCgroups();
    await cgroups.freeze(engine.host, plan);
    try {
      return await fn();
    } finally {
      await cgroups.thaw(engine.host, plan);
    }
  });
}

export async function commitContainer(engine: Engine, c: Container, opts: CommitOptions = {}): Promise<ImageRecord> {
  const images = new ImageStore(engine);
  const parent = images.list().find((r) => r.id === c.Image);
  if (!parent) throw notFound(`No such image: ${c.Image}`, 'the container\'s image was removed; it cannot be committed on top of it');
  const [parentConfig, parentManifest] = await Promise.all([images.config(parent), images.manifest(parent)]);
  const upper = containerPaths(engine, c.Id).upper;
  mkdirSync(upper, { recursive: true }); // a container never started has no upper dir yet

  const ingest = images.blobs.newIngest();
  const layer = await whileHeld(engine, c, opts.pause ?? true, async () => {
    const [toBlob, toSnapshot] = tee(await diffUpper(engine.host, upper));
    const [blob, snap] = await Promise.allSettled([ingest.writeStream(toBlob), images.snapshots.unpack(toSnapshot, `the changes of container ${c.Id.slice(0, 12)}`)]);
    if (blob.status === 'rejected' || snap.status === 'rejected') {
      if (snap.status === 'fulfilled') images.snapshots.discard(snap.value);
      ingest.abort();
      throw blob.status === 'rejected' ? blob.reason : (snap as PromiseRejectedResult).reason;
    }
    return { blob: blob.value, pending: snap.value };
  });

  const empty = layer.blob.digest === EMPTY_TAR_DIGEST;
  let commitIngest = ingest;
  if (empty) {
    // docker adds no layer for no changes; the blob goes with its ingest.
    images.snapshots.discard(layer.pending);
    ingest.abort();
    commitIngest = images.blobs.newIngest();
  }
  const created = (opts.now ?? new Date()).toISOString();
  const diffIds = parentConfig.rootfs.diff_ids;
  if (parentManifest.layers.length !== diffIds.length) {
    throw new MinidockError(`image ${parent.id} has ${parentManifest.layers.length} layers but ${diffIds.length} diff IDs`, { kind: 'corrupt' });
  }
  let containerConfig = committedConfig(parentConfig.config, c.Config);
  if (opts.editConfig) containerConfig = opts.editConfig(containerConfig);
  const layers: NewLayer[] = parentManifest.layers.map((descriptor, i) => ({ descriptor, diffId: diffIds[i] }));
  if (!empty) {
    layers.push({ pending: layer.pending, diffId: layer.blob.digest, descriptor: { mediaType: MediaType.ociLayer, digest: layer.blob.digest, size: layer.blob.size } });
  }
  const config: ImageConfig = {
    created,
    ...(opts.author ? { author: opts.author } : {}),
    architecture: parentConfig.architecture,
    os: parentConfig.os,
    ...(parentConfig.variant ? { variant: parentConfig.variant } : {}),
    config: containerConfig,
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: [...(parentConfig.history ?? []), commitHistory(c.Config, created, { author: opts.author, message: opts.message, empty })],
  };
  const [rec] = await images.commit(commitIngest, [{ config, layers, refs: opts.ref ? [opts.ref] : [], parent: parent.id }]);
  return rec;
}
