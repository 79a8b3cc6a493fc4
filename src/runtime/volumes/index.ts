// Volumes: the library behind `-v`, `--mount`, `--volumes-from`, the image's VOLUME and
// `minidock volume …`. What the rest of the engine calls:
//   create:  withContainerMounts(engine, flags, persist)      (create.ts)
//   start:   planVolumeMounts(engine, container)              (start.ts)
//   rm -v:   removeContainerVolumes(engine, container)        (commands.ts)
//   volume create/inspect/rm/ls/prune: createVolume, inspectVolume, removeVolume,
//            listVolumes, pruneVolumes + renderPruneReport
export { withContainerMounts, parseMountFlags, type ContainerMountFlags, type ContainerMounts } from './create.js';
export { planVolumeMounts } from './start.js';
export { createVolume, inspectVolume, removeVolume, removeContainerVolumes, type CreateVolumeOptions } from './commands.js';
export { listVolumes, VolumeRow } from './list.js';
export { pruneVolumes, renderPruneReport, humanSize, PRUNE_WARNING, PRUNE_ALL_WARNING, type PruneReport } from './prune.js';
export { VolumeStore } from './store.js';
export { volumeUsers } from './usage.js';
export { ANONYMOUS_LABEL } from './names.js';
export type { VolumeInspect, VolumeRecord } from './record.js';
export type { VolumeMountSpec } from './mount-spec.js';
export type { DockerMount } from './docker-mount.js';
