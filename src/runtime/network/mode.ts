// HostConfig.NetworkMode as docker spells it: `default`/`bridge`, `none`, `host`,
// `container:<name|id>`, or the name or id of a user-defined network.

export type NetworkMode =
  | { kind: 'none' }
  | { kind: 'host' }
  | { kind: 'container'; ref: string }
  | { kind: 'network'; ref: string };

export function parseNetworkMode(mode: string): NetworkMode {
  if (mode === 'none') return { kind: 'none' };
  if (mode === 'host') return { kind: 'host' };
  if (mode.startsWith('container:')) return { kind: 'container', ref: mode.slice('container:'.length) };
  if (mode === '' || mode === 'default') return { kind: 'network', ref: 'bridge' };
  return { kind: 'network', ref: mode };
}

/** What the start chain does with the network namespace (start-plan.ts's `network`). */
export type StartNetwork = { kind: 'new' } | { kind: 'path'; path: string } | { kind: 'host' };
