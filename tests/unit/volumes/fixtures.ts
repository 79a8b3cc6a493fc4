// Container records for volume tests: docker's defaults through the engine's own
// buildContainer, with the mounts (and layers) a test needs.
import { newContainerId } from '../../../src/runtime/store.js';
import type { Container, MountSpec } from '../../../src/runtime/model.js';
import { buildContainer, type CreateOptions } from '../../../src/runtime/spec.js';
import type { ImageConfig } from '../../../src/image/oci.js';

export function makeContainer(o: { id?: string; name?: string; mounts?: MountSpec[]; layers?: string[]; binds?: string[] } = {}): Container {
  const id = o.id ?? newContainerId();
  const image = { architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: [] } } as unknown as ImageConfig;
  const opts: CreateOptions = {
    name: o.name ?? `c-${id.slice(0, 8)}`,
    imageName: 'busybox:latest',
    imageId: `sha256:${'0'.repeat(64)}`,
    layers: o.layers ?? [],
    cmd: [],
    env: [],
    labels: {},
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
    cgroupParent: '',
    network: 'none',
    groupAdd: [],
    extraHosts: [],
    dns: [],
    portBindings: {},
    publishAll: false,
    exposedPorts: [],
    binds: o.binds ?? [],
    mounts: o.mounts ?? [],
  };
  return buildContainer(id, new Date().toISOString(), image, opts);
}
