// Names of everything the network code makes on the host, derived from ids so that a detach
// after a crash (or a prune) can find them again without any record. Several engine roots can
// share one host (tests use temporary roots beside /var/lib/minidock): artefacts of a root
// other than the default one carry a short hash of the root in their name or tag, so one
// root's prune never touches another's.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Engine } from '../../engine.js';
import { DEFAULT_ROOT } from '../../paths.js';

/** '' for /var/lib/minidock, else 6 hex of the root's path. */
export function instanceOf(root: string): string {
  const abs = resolve(root);
  return abs === DEFAULT_ROOT ? '' : createHash('sha256').update(abs).digest('hex').slice(0, 6);
}

export interface HostNames {
  instance: string;
  /** Host-wide runtime files of minidock (tmpfs: gone at reboot, as the netns and processes are). */
  runDir: string;
  /** Host-port reservations of every root (a port belongs to the host, not to a root). */
  portsDir: string;
  /** This root's dnsmasq files. */
  dnsDir: string;
  /** Cross-root lock for choosing subnets and creating bridges. */
  hostLock: string;
  /** Our nftables table (`ip` family: minidock networks are IPv4 only). */
  table: string;
  defaultBridge: string;
  /** Tag in link aliases: `minidock[:<instance>]`. */
  tag: string;
  netns(containerId: string): string;
  netnsPath(containerId: string): string;
  /** Host end of a container's veth on one network: `md` + 9 hex of the container + 4 of the network (15 chars, IFNAMSIZ-1). */
  hostVeth(containerId: string, networkId: string): string;
  bridge(networkId: string): string;
}

/**
 * Host-wide files live under /run/minidock for a real host; a recording or dry-run engine keeps
 * them under its root so unit tests never write outside their temporary directory.
 */
export function hostNames(engine: Engine): HostNames {
  const instance = instanceOf(engine.paths.root);
  const runDir = engine.host.mode === 'real' ? '/run/minidock' : `${engine.paths.root}/run`;
  const suffix = instance ? `-${instance}` : '';
  return {
    instance,
    runDir,
    portsDir: `${runDir}/ports`,
    dnsDir: `${runDir}/dns${suffix}`,
    hostLock: `${runDir}/network.lock`,
    table: `minidock${suffix}`,
    // docker0's counterpart; `md0-<instance>` for other roots so two roots never share a bridge.
    defaultBridge: instance ? `md0-${instance}` : 'minidock0',
    tag: instance ? `minidock:${instance}` : 'minidock',
    netns: (id) => `minidock${suffix}-${id.slice(0, 12)}`,
    netnsPath: (id) => `/run/netns/minidock${suffix}-${id.slice(0, 12)}`,
    hostVeth: (cid, nid) => `md${cid.slice(0, 9)}${nid.slice(0, 4)}`,
    bridge: (nid) => `mdbr-${nid.slice(0, 10)}`,
  };
}

/** Comment tags on firewall rules and link aliases (docker has none; netavark tags by network). */
export const netTag = (id: string) => `minidock:net:${id}`;
export const ctrTag = (id: string) => `minidock:ctr:${id}`;
