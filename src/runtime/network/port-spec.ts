// `-p`/`--publish` and `-P`: docker's syntax (go-connections nat.ParsePortSpec) into the
// container record's PortBindings and ExposedPorts, and back out as the concrete list of what
// to publish. Pure, table-tested.
//
//   -p 80                 container port 80, a random host port
//   -p 8080:80            host 8080 → 80/tcp          -p 8080:80/udp
//   -p 127.0.0.1:8080:80  on one host address         -p 127.0.0.1::80  random port there
//   -p 8000-8001:80-81    ranges of equal length      -p 8000-8010:80   one free port of the range
import { MinidockError } from '../../errors.js';
import { parseIp } from './cidr.js';

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

function parseRange(text: string, what: 'containerPort' | 'hostPort'): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  const lo = m ? Number(m[1]) : NaN;
  const hi = m ? Number(m[2] ?? m[1]) : NaN;
  if (!m || lo < (what === 'hostPort' ? 0 : 1) || hi > 65535 || hi < lo) throw usage(`invalid ${what}: ${text}`);
  return [lo, hi];
}

function splitProto(spec: string): [string, Proto] {
  const i = spec.lastIndexOf('/');
  if (i < 0) return [spec, 'tcp'];
  const proto = spec.slice(i + 1).toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp') throw usage(`invalid proto: ${proto}`);
  return [spec.slice(0, i), proto];
}

/** `[ip:][hostPort:]containerPort`, the ip possibly in brackets (IPv6). */
function splitParts(raw: string): { ip: string; host: string; container: string } {
  let rest = raw;
  let ip = '';
  const bracket = /^\[([^\]]*)\]:(.*)$/.exec(rest);
  if (bracket) {
    ip = bracket[1];
    rest = bracket[2];
    const [host, container, ...more] = rest.split(':');
    if (more.length || container === undefined) throw usage(`invalid port format: ${raw}`);
    return { ip, host, container };
  }
  const parts = rest.split(':');
  if (parts.length === 1) return { ip: '', host: '', container: parts[0] };
  if (parts.length === 2) return { ip: '', host: parts[0], container: parts[1] };
  if (parts.length === 3) return { ip: parts[0], host: parts[1], container: parts[2] };
  throw usage(`invalid port format: ${raw}`);
}

export function parsePublishSpec(spec: string): PortBindingsSpec {
  const [raw, proto] = splitProto(spec.trim());
  const { ip, host, container } = splitParts(raw);
  if (container === '') throw usage(`no port specified: ${spec}<empty>`);
  if (ip && parseIp(ip) === undefined && !ip.includes(':')) throw usage(`invalid IP address: ${ip}`);
  const [cLo, cHi] = parseRange(container, 'containerPort');
  const out: PortBindingsSpec = { portBindings: {}, exposedPorts: [] };
  let hLo = 0;
  let hHi = 0;
  if (host !== '') [hLo, hHi] = parseRange(host, 'hostPort');
  const hostRangeToOne = host !== '' && cLo === cHi && hHi !== hLo;
  if (host !== '' && !hostRangeToOne && hHi - hLo !== cHi - cLo) {
    throw usage(`invalid ranges specified for container and host Ports: ${container} and ${host}`);
  }
  for (let p = cLo; p <= cHi; p++) {
    const key = `${p}/${proto}`;
    let hostPort = '';
    if (hostRangeToOne) hostPort = `${hLo}-${hHi}`;
    else if (host !== '') hostPort = String(hLo + (p - cLo));
    (out.portBindings[key] ??= []).push({ HostIp: ip, HostPort: hostPort });
    out.exposedPorts.push(key);
  }
  return out;
}

/** Several `-p` flags merged, in order. */
export function parsePublishSpecs(specs: string[]): PortBindingsSpec {
  const out: PortBindingsSpec = { portBindings: {}, exposedPorts: [] };
  for (const s of specs) {
    const one = parsePublishSpec(s);
    for (const [k, v] of Object.entries(one.portBindings)) (out.portBindings[k] ??= []).push(...v);
    for (const k of one.exposedPorts) if (!out.exposedPorts.includes(k)) out.exposedPorts.push(k);
  }
  return out;
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
  if (!Number.isInteger(port) || port < 1 || port > 65535 || (proto !== 'tcp' && proto !== 'udp')) throw usage(`invalid port: ${key}`);
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
      if (b.HostPort) [lo, hi] = parseRange(b.HostPort, 'hostPort');
      out.push({ containerPort: port, proto, hostIp: b.HostIp === '0.0.0.0' ? '' : b.HostIp, hostPortLo: lo, hostPortHi: hi });
    }
  }
  return out;
}
