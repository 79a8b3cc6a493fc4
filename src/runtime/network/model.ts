// Networks on disk: `networks/<id>.json`, one file per network, in docker's `network inspect`
// shape (so inspect is a direct view) plus what the engine needs to find its host side again:
// every endpoint (container on the network, with its reserved address) and the network's
// dnsmasq process. A container's run-time view of its networks (netns, interfaces, published
// ports) is `containers/<id>/network.json`. Both are written atomically and validated on read.
import * as z from 'zod/mini';

const Str = z.string();

export const EndpointSchema = z.looseObject({
  /** Container name when it joined: the DNS name (renames re-register on the next start). */
  Name: Str,
  EndpointID: Str,
  MacAddress: Str,
  /** `172.18.0.2/16`, docker's inspect form. */
  IPv4Address: Str,
  /** `--network-alias` values (DNS names on this network). */
  Aliases: z.array(Str),
  /** `--ip`: the address the user asked for, kept across restarts. */
  IPAMConfig: z.nullable(z.looseObject({ IPv4Address: Str })),
  /** The container is running with an interface on this network (its name resolves in DNS). */
  Active: z.boolean(),
});
export type Endpoint = z.infer<typeof EndpointSchema>;

export const DnsProcessSchema = z.looseObject({ Pid: z.number(), Start: Str });
export type DnsProcess = z.infer<typeof DnsProcessSchema>;

export const NetworkSchema = z.looseObject({
  Name: Str,
  Id: Str,
  Created: Str,
  Scope: z.literal('local'),
  Driver: z.literal('bridge'),
  EnableIPv6: z.boolean(),
  IPAM: z.looseObject({
    Driver: Str,
    Options: z.record(Str, Str),
    Config: z.array(z.looseObject({ Subnet: Str, Gateway: Str })),
  }),
  Internal: z.boolean(),
  Attachable: z.boolean(),
  Options: z.record(Str, Str),
  Labels: z.record(Str, Str),
  /** The subnet came from `--subnet` (docker allows `--ip` only then). */
  UserSubnet: z.boolean(),
  /** The default `bridge` network: no DNS, no `--ip`, no aliases (docker's rules). */
  Default: z.boolean(),
  BridgeName: Str,
  /** By container id; inactive endpoints keep their address until disconnect or rm. */
  Endpoints: z.record(Str, EndpointSchema),
  Dns: z.nullable(DnsProcessSchema),
});
export type NetworkRecord = z.infer<typeof NetworkSchema>;

export const PublishedPortSchema = z.looseObject({
  containerPort: z.number(),
  proto: z.enum(['tcp', 'udp']),
  /** '0.0.0.0' for every host address (docker's display of an empty HostIp). */
  hostIp: Str,
  hostPort: z.number(),
});
export type PublishedPort = z.infer<typeof PublishedPortSchema>;

export const SandboxSchema = z.looseObject({
  Netns: Str,
  NetnsPath: Str,
  Interfaces: z.array(
    z.looseObject({
      NetworkId: Str,
      Network: Str,
      IfName: Str,
      HostVeth: Str,
      IP: Str,
      PrefixLen: z.number(),
      Gateway: Str,
      MacAddress: Str,
    }),
  ),
  /** The network whose gateway is the default route ('' when all are internal). */
  GatewayNetwork: Str,
  Ports: z.array(PublishedPortSchema),
});
export type Sandbox = z.infer<typeof SandboxSchema>;
export type SandboxInterface = Sandbox['Interfaces'][number];
