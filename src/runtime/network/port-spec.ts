// The container record's PortBindings (parsed from `-p` by src/cli/parse/ports.ts) and `-P`,
// turned into the concrete list of what to publish. Pure, table-tested.
//
//   HostPort ''           a random host port          HostPort '8000-8010'  one free port of the range
import { MinidockError } from '../../errors.js';
import { parsePortRange } from '../../cli/parse/ports.js';

export type Proto = 'tcp' | 'udp';

export interface PortBindingsSpec {
  /** `80/tcp` → [{HostIp, HostPort}] (HostPort '' = random, `8000-8010` = one of the range). */
  portBindings: Record<string, { HostIp: string; HostPort: string }[]>;
  /** `80/tcp` keys, to merge into Config.ExposedPorts (docker exposes what it publishes). */
  exposedPorts: string[];
}

function usage(message: string): MinidockError {
  return new MinidockError(message, { kind: 'usage', exitCode: 125 });
}

/** One port to publish: a fixed host port, a range to pick from, or any (lo = hi = 0). */
export interface PortRequest {
  containerPort: number;
  proto: Proto;
  hostIp: string;
  hostPortLo: number;
  hostPortHi: number;
}

function parseKey(key: string): { port: number; proto: Proto } {
  const [p, proto = 'tcp'] = key.split('/');
  const port = Number(p);
  // sctp parses (docker accepts it) but the firewall plan publishes tcp and udp only.
  if (!Number.isInteger(port) || port < 1 || port > 65535 || (proto !== 'tcp' && proto !== 'udp')) throw usage(`cannot publish ${key}: only tcp and udp ports are supported`);
  return { port, proto };
}

/**
 * What a container publishes: its PortBindings, plus (with -P) every exposed port that has no
 * binding, on a random host port. minidock publishes IPv4 only: an IPv6 host address is refused.
 */
export function expandPortRequests(bindings: Record<string, { HostIp: string; HostPort: string }[]>, publishAll: boolean, exposed: Record<string, unknown> | null | undefined): PortRequest[] {
  const out: PortRequest[] = [];
  const keys = Object.keys(bindings);
  if (publishAll) for (const k of Object.keys(exposed ?? {})) if (!keys.includes(k)) keys.push(k);
  for (const key of keys) {
    const { port, proto } = parseKey(key);
    const list = bindings[key]?.length ? bindings[key] : [{ HostIp: '', HostPort: '' }];
    for (const b of list) {
      if (b.HostIp.includes(':')) {
        throw usage(`cannot publish on ${b.HostIp}: minidock publishes ports on IPv4 addresses only`);
      }
      let lo = 0;
      let hi = 0;
      if (b.HostPort) [lo, hi] = parsePortRange(b.HostPort);
      out.push({ containerPort: port, proto, hostIp: b.HostIp === '0.0.0.0' ? '' : b.HostIp, hostPortLo: lo, hostPortHi: hi });
    }
  }
  return out;
}
