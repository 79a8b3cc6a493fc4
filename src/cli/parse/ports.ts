// -p/--publish and --expose (go-connections nat.ParsePortSpec, docker/cli's
// convertToStandardNotation): `[ip:][hostPort:]containerPort[/proto]`, ranges, `[::1]` hosts.
import { badValue } from './flag-error.js';
import { isIP } from './ip.js';
import { parseUint, StrconvError } from './strconv.js';

export type Proto = 'tcp' | 'udp' | 'sctp';

/** One container port and where it is published. */
export interface PortMapping {
  containerPort: number;
  proto: Proto;
  /** '' binds all addresses. */
  hostIp: string;
  /** '' picks a free port; may be a range `8000-8010` to pick from. */
  hostPort: string;
}

/** The `80/tcp` key docker uses for ExposedPorts and PortBindings. */
export function portKey(port: number, proto: string): string {
  return `${port}/${proto}`;
}

/** nat.SplitProtoPort: `80/udp` → ['udp', '80']; no proto means tcp. */
export function splitProtoPort(raw: string): [proto: string, port: string] {
  const parts = raw.split('/');
  if (raw === '' || parts[0] === '') return ['', ''];
  if (parts.length === 1) return ['tcp', raw];
  if (parts[1] === '') return ['tcp', parts[0]];
  return [parts[1], parts[0]];
}

/** nat.ParsePortRange: `80` or `8000-8010` (only the first two parts of `a-b-c` count). */
export function parsePortRange(ports: string): [number, number] {
  if (ports === '') throw badValue('empty string specified for ports');
  const num = (s: string) => {
    try {
      return Number(parseUint(s, 10, 16));
    } catch (e) {
      throw badValue((e as StrconvError).message);
    }
  };
  if (!ports.includes('-')) {
    const p = num(ports);
    return [p, p];
  }
  const parts = ports.split('-');
  const start = num(parts[0]);
  const end = num(parts[1]);
  if (end < start) throw badValue(`invalid range specified for port: ${ports}`);
  return [start, end];
}

function splitParts(raw: string): [ip: string, hostPort: string, containerPort: string] {
  const parts = raw.split(':');
  const n = parts.length;
  const container = parts[n - 1];
  if (n === 1) return ['', '', container];
  if (n === 2) return ['', parts[0], container];
  if (n === 3) return [parts[0], parts[1], container];
  return [parts.slice(0, n - 2).join(':'), parts[n - 2], container];
}

/** nat.ParsePortSpec: one -p value, expanded to one mapping per container port. */
export function parsePortSpec(raw: string): PortMapping[] {
  let [ip, hostPort, containerPort] = splitParts(raw);
  const [proto, cport] = splitProtoPort(containerPort);
  containerPort = cport;
  if (ip !== '' && ip[0] === '[') {
    const close = ip.indexOf(']');
    if (close < 0) throw badValue(`invalid IP address ${ip}: address ${ip}:: missing ']' in address`);
    ip = ip.slice(1, close);
  }
  if (ip !== '' && !isIP(ip)) throw badValue(`invalid IP address: ${ip}`);
  if (containerPort === '') throw badValue(`no port specified: ${raw}<empty>`);
  let start: number, end: number;
  try {
    [start, end] = parsePortRange(containerPort);
  } catch {
    throw badValue(`invalid containerPort: ${containerPort}`);
  }
  let hostStart = 0;
  let hostEnd = 0;
  if (hostPort !== '') {
    try {
      [hostStart, hostEnd] = parsePortRange(hostPort);
    } catch {
      throw badValue(`invalid hostPort: ${hostPort}`);
    }
  }
  // A host range with a single container port is a range to pick a free host port from.
  if (hostPort !== '' && end - start !== hostEnd - hostStart && end !== start) {
    throw badValue(`invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
  }
  const p = proto.toLowerCase();
  if (p !== 'tcp' && p !== 'udp' && p !== 'sctp') throw badValue(`invalid proto: ${proto}`);
  const out: PortMapping[] = [];
  for (let i = 0; i <= end - start; i++) {
    let hp = hostPort === '' ? '' : String(hostStart + i);
    if (start === end && hostStart !== hostEnd) hp = `${hp}-${hostEnd}`;
    out.push({ containerPort: start + i, proto: p, hostIp: ip, hostPort: hp });
  }
  return out;
}

/** convertToStandardNotation: the long form `target=80,published=8080,protocol=udp`. */
function toStandardNotation(v: string): string {
  if (!v.includes('=')) return v;
  const params: Record<string, string> = { protocol: 'tcp' };
  for (const param of v.split(',')) {
    const eq = param.indexOf('=');
    if (eq <= 0) throw badValue(`invalid publish opts format (should be name=value but got '${param}')`);
    params[param.slice(0, eq)] = param.slice(eq + 1);
  }
  return `${params.published ?? ''}:${params.target ?? ''}/${params.protocol}`;
}

export interface PublishedPorts {
  /** ExposedPorts keys in first-seen order: `80/tcp`. */
  exposed: string[];
  /** PortBindings: one port may be published several times. */
  bindings: Map<string, { HostIp: string; HostPort: string }[]>;
}

/** nat.ParsePortSpecs over all -p values, plus --expose ports merged in. */
export function parsePublish(publish: readonly string[], expose: readonly string[] = []): PublishedPorts {
  const result: PublishedPorts = { exposed: [], bindings: new Map() };
  const addExposed = (key: string) => {
    if (!result.exposed.includes(key)) result.exposed.push(key);
  };
  for (const v of publish) {
    for (const m of parsePortSpec(toStandardNotation(v))) {
      const key = portKey(m.containerPort, m.proto);
      addExposed(key);
      const list = result.bindings.get(key) ?? [];
      list.push({ HostIp: m.hostIp, HostPort: m.hostPort });
      result.bindings.set(key, list);
    }
  }
  for (const e of expose) for (const key of parseExpose(e)) addExposed(key);
  return result;
}

/** --expose 80, 80/udp, 8000-8010/tcp → port keys. */
export function parseExpose(value: string): string[] {
  const [proto, port] = splitProtoPort(value);
  let start: number, end: number;
  try {
    [start, end] = parsePortRange(port);
  } catch (e) {
    throw badValue(`invalid range format for --expose: ${value}, error: ${(e as Error).message}`);
  }
  const keys: string[] = [];
  for (let p = start; p <= end; p++) keys.push(portKey(p, proto));
  return keys;
}
