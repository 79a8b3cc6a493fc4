// `ip -b` batches for bridges, veths and a container's side of its interfaces. Pure and
// golden-tested: one `ip` process per batch instead of one per step (each costs milliseconds).
// The container end is created directly inside the netns under its final name (`peer name
// eth0 netns NS`), so no rename and no moment where a half-made link sits on the host.

export interface BridgeSpec {
  name: string;
  /**
   * A fixed MAC: a bridge without one takes the lowest MAC of its ports, so it changes when a
   * container leaves, and the others' ARP entries for the gateway go stale for seconds (docker
   * sets one for the same reason).
   */
  mac: string;
  /** Tag that lets a prune find it: `minidock:net:<id>`. */
  alias: string;
  gateway: string;
  prefixLen: number;
}

/** A bridge with its gateway address (which also installs the subnet's route). */
export function planBridgeUp(b: BridgeSpec): string {
  return [
    `link add ${b.name} address ${b.mac} type bridge`,
    `link set ${b.name} alias ${b.alias}`,
    `addr add ${b.gateway}/${b.prefixLen} dev ${b.name}`,
    `link set ${b.name} up`,
  ].join('\n') + '\n';
}

export interface VethSpec {
  hostVeth: string;
  ifName: string;
  mac: string;
  bridge: string;
  alias: string;
  ip: string;
  prefixLen: number;
}

/**
 * Host side: the netns (unless it exists: a hot `connect`), then per network a veth whose peer
 * is born inside the netns, tagged, enslaved to the bridge with hairpin on (so a container can
 * reach its own published port through a host address), and up.
 */
export function planHostSide(netns: string, links: VethSpec[], createNetns: boolean): string {
  const lines = createNetns ? [`netns add ${netns}`] : [];
  for (const l of links) {
    lines.push(
      `link add ${l.hostVeth} type veth peer name ${l.ifName} address ${l.mac} netns ${netns}`,
      `link set ${l.hostVeth} alias ${l.alias}`,
      `link set ${l.hostVeth} master ${l.bridge}`,
      `link set ${l.hostVeth} type bridge_slave hairpin on`,
      `link set ${l.hostVeth} up`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Inside the netns (`ip -n NS -b -`): lo, addresses, the default route via one gateway. */
export function planContainerSide(links: VethSpec[], gateway: { ifName: string; ip: string } | undefined, loUp: boolean): string {
  const lines = loUp ? ['link set lo up'] : [];
  for (const l of links) lines.push(`addr add ${l.ip}/${l.prefixLen} dev ${l.ifName}`, `link set ${l.ifName} up`);
  if (gateway) lines.push(`route add default via ${gateway.ip} dev ${gateway.ifName}`);
  return lines.join('\n') + '\n';
}

/**
 * Teardown: delete the host ends explicitly (synchronous, ~20 ms; the netns itself dies
 * asynchronously and would free the veth names only later), then the netns.
 */
export function planTeardown(hostVeths: string[], netns: string | undefined): string {
  const lines = hostVeths.map((v) => `link del ${v}`);
  if (netns) lines.push(`netns del ${netns}`);
  return lines.length ? lines.join('\n') + '\n' : '';
}

export function planBridgeDown(name: string): string {
  return `link del ${name}\n`;
}
