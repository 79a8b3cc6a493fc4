// The network library's public face: what `run`/`start`/`stop`/`rm` and the `network` and
// `port` commands call. See the README section "Networks" for the on-disk format.
export { attachNetworks, publishedPorts, resolveExtraHosts, planResolvConf, type AttachOptions, type AttachResult, type AttachedAddress, type ResolvConfSpec } from './attach.js';
export { detachNetworks, type DetachOptions } from './detach.js';
export { connectNetwork, disconnectNetwork, type ConnectOptions } from './connect.js';
export { NetworkStore, PREDEFINED, predefinedId, type CreateNetworkOptions, type NetworkSummary } from './store.js';
export { inspectNetwork, networkSettings, containerNetworkNames } from './inspect.js';
export { findOrphans, pruneOrphans, resetNetworking, type Orphan, type OrphanKind } from './orphans.js';
export { expandPortRequests, type PortBindingsSpec, type PortRequest } from './port-spec.js';
export { renderPortsColumn, renderPortLines } from './port-display.js';
export { parseNetworkMode, type NetworkMode, type StartNetwork } from './mode.js';
export type { NetworkRecord, Endpoint, PublishedPort, Sandbox } from './model.js';
