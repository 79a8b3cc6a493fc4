// A short-lived container for the builder's RUN steps (docker's legacy builder does the same:
// a real container per step, committed from its upper dir, then removed). Its output comes
// back as streams; what it changed stays in `upperDir` until `remove()`.
import type { Readable } from 'node:stream';
import type { Engine } from '../engine.js';
import { MinidockError } from '../errors.js';
import type { ImageConfig } from '../image/oci.js';
import { finalizeExit } from './lifecycle/exit.js';
import { removeContainer } from './lifecycle/remove.js';
import { startContainer } from './lifecycle/start.js';
import { containerPaths } from './prepare.js';
import { buildContainer, type CreateOptions } from './spec.js';
import { ContainerStore, newContainerId } from './store.js';

export interface EphemeralOptions {
  /** Image to run on: its config (for the rest of the container config) and layer chain IDs. */
  image: ImageConfig;
  imageId: string;
  layers: string[];
  argv: string[];
  env: string[];
  user: string;
  workdir: string;
  network?: 'none' | 'host';
  labels?: Record<string, string>;
  cgroupParent?: string;
}

export interface EphemeralRun {
  id: string;
  upperDir: string;
  stdout: Readable;
  stderr: Readable;
  /** Resolves with the exit code once the process has ended and the run is finalised. */
  done: Promise<number>;
  remove(): Promise<void>;
}

export async function runEphemeral(engine: Engine, o: EphemeralOptions): Promise<EphemeralRun> {
  const store = new ContainerStore(engine);
  const opts: CreateOptions = {
    name: '',
    imageName: o.imageId,
    imageId: o.imageId,
    layers: o.layers,
    cmd: o.argv,
    entrypoint: '',
    env: o.env,
    workdir: o.workdir,
    user: o.user,
    labels: { 'io.minidock.build': 'true', ...o.labels },
    tty: false,
    interactive: false,
    init: false,
    readOnly: false,
    privileged: false,
    capAdd: [],
    capDrop: [],
    securityOpt: [],
    noNewPrivileges: false,
    tmpfs: {},
    restart: { Name: 'no', MaximumRetryCount: 0 },
    autoRemove: false,
    memory: 0,
    memorySwap: 0,
    nanoCpus: 0,
    cpuShares: 0,
    cgroupParent: o.cgroupParent ?? '',
    network: o.network ?? 'none',
    groupAdd: [],
    extraHosts: [],
    dns: [],
    portBindings: {},
    publishAll: false,
    exposedPorts: [],
    binds: [],
    mounts: [],
  };
  // The step's env is the whole environment: the image config's own Env must not be merged in twice.
  const image: ImageConfig = { ...o.image, config: { ...(o.image.config ?? {}), Env: [], Entrypoint: null, Cmd: null } };
  const c = await store.create((name) => buildContainer(newContainerId(), new Date().toISOString(), image, { ...opts, name }), `minidock-build-${newContainerId().slice(0, 12)}`);
  const remove = () => removeContainer(engine, store, store.readContainer(c.Id), { force: true });
  let started;
  try {
    started = await store.locked(c.Id, () => startContainer(engine, store, c, store.readState(c.Id), { kind: 'attach', stdin: false, output: 'pipe' }));
  } catch (err) {
    const state = store.readState(c.Id);
    await remove();
    if (err instanceof MinidockError) throw err;
    throw new MinidockError(`starting a build step: ${(err as Error).message} (${state.Error})`, { cause: err });
  }
  const shim = started.shim!;
  const done = started.done!.then(async (code) => {
    await store.locked(c.Id, () => finalizeExit(engine, store, c.Id));
    return code;
  });
  return { id: c.Id, upperDir: containerPaths(engine, c.Id).upper, stdout: shim.stdout!, stderr: shim.stderr!, done, remove };
}
