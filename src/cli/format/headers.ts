// Column header names the docker CLI prints (cli/command/formatter/*.go constants), so that every
// command's table reads exactly as docker's. Commands build their header map from these.

export const CONTAINER_ID = 'CONTAINER ID';
export const IMAGE = 'IMAGE';
export const COMMAND = 'COMMAND';
export const CREATED = 'CREATED'; // CreatedSince and RunningFor
export const CREATED_AT = 'CREATED AT';
export const STATUS = 'STATUS';
export const STATE = 'STATE';
export const PORTS = 'PORTS';
export const NAMES = 'NAMES';
export const NAME = 'NAME';
export const SIZE = 'SIZE';
export const LABELS = 'LABELS';
export const MOUNTS = 'MOUNTS';
export const LOCAL_VOLUMES = 'LOCAL VOLUMES';
export const NETWORKS = 'NETWORKS';
export const PLATFORM = 'PLATFORM';
export const HEALTH_STATUS = 'HEALTH STATUS';
export const IMAGE_ID = 'IMAGE ID';
export const REPOSITORY = 'REPOSITORY';
export const TAG = 'TAG';
export const DIGEST = 'DIGEST';
export const SHARED_SIZE = 'SHARED SIZE';
export const UNIQUE_SIZE = 'UNIQUE SIZE';
export const CONTAINERS = 'CONTAINERS';
export const DRIVER = 'DRIVER';
export const SCOPE = 'SCOPE';
export const MOUNTPOINT = 'MOUNTPOINT';
export const NETWORK_ID = 'NETWORK ID';
export const IPV6 = 'IPV6';
export const INTERNAL = 'INTERNAL';
export const PID = 'PID';

/** `docker ps` (formatter/container.go). */
export const CONTAINER_HEADERS: Record<string, string> = {
  ID: CONTAINER_ID,
  Names: NAMES,
  Image: IMAGE,
  Command: COMMAND,
  CreatedAt: CREATED_AT,
  RunningFor: CREATED,
  Ports: PORTS,
  State: STATE,
  Status: STATUS,
  Size: SIZE,
  Labels: LABELS,
  Mounts: MOUNTS,
  LocalVolumes: LOCAL_VOLUMES,
  Networks: NETWORKS,
  Platform: PLATFORM,
  HealthStatus: HEALTH_STATUS,
};
export const DEFAULT_CONTAINER_TABLE = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

/** `docker images` (formatter/image.go). */
export const IMAGE_HEADERS: Record<string, string> = {
  ID: IMAGE_ID,
  Repository: REPOSITORY,
  Tag: TAG,
  Digest: DIGEST,
  CreatedSince: CREATED,
  CreatedAt: CREATED_AT,
  Size: SIZE,
  Containers: CONTAINERS,
  VirtualSize: SIZE,
  SharedSize: SHARED_SIZE,
  UniqueSize: UNIQUE_SIZE,
};
export const DEFAULT_IMAGE_TABLE = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
export const DEFAULT_IMAGE_TABLE_WITH_DIGEST =
  'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';

/** `docker volume ls` (formatter/volume.go). */
export const VOLUME_HEADERS: Record<string, string> = {
  Name: 'VOLUME NAME',
  Driver: DRIVER,
  Scope: SCOPE,
  Mountpoint: MOUNTPOINT,
  Labels: LABELS,
  Links: 'LINKS',
  Size: SIZE,
};
export const DEFAULT_VOLUME_TABLE = 'table {{.Driver}}\t{{.Name}}';

/** `docker network ls` (formatter/network.go). */
export const NETWORK_HEADERS: Record<string, string> = {
  ID: NETWORK_ID,
  Name: NAME,
  Driver: DRIVER,
  Scope: SCOPE,
  IPv6: IPV6,
  Internal: INTERNAL,
  Labels: LABELS,
  CreatedAt: CREATED_AT,
};
export const DEFAULT_NETWORK_TABLE = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}';

/** `docker history` (image/formatter_history.go). */
export const HISTORY_HEADERS: Record<string, string> = {
  ID: IMAGE,
  CreatedSince: CREATED,
  CreatedAt: CREATED_AT,
  CreatedBy: 'CREATED BY',
  Size: SIZE,
  Comment: 'COMMENT',
};
export const DEFAULT_HISTORY_TABLE = 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
