// The PORTS column of `ps` and the lines of `port`, as docker prints them
// (docker/cli api/types DisplayablePorts: equal host and container ports are grouped into
// ranges, other mappings follow one by one). minidock publishes on IPv4 only, so docker's
// second `:::18080->80/tcp` entry never appears. Pure.
import type { PublishedPort } from './model.js';

interface DisplayPort {
  ip: string;
  privatePort: number;
  publicPort: number;
  type: string;
}

function compare(a: DisplayPort, b: DisplayPort): number {
  if (a.privatePort !== b.privatePort) return a.privatePort - b.privatePort;
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  if (a.publicPort !== b.publicPort) return a.publicPort - b.publicPort;
  return a.type < b.type ? -1 : a.type > b.type ? 1 : 0;
}

function formGroup(key: string, first: number, lastPort: number): string {
  const slash = key.lastIndexOf('/');
  const ip = slash >= 0 ? key.slice(0, slash) : '';
  const type = slash >= 0 ? key.slice(slash + 1) : key;
  let group = String(first);
  if (first !== lastPort) group = `${group}-${lastPort}`;
  if (ip) group = `${ip}:${group}->${group}`;
  return `${group}/${type}`;
}

/** `published`: what is mapped now; `exposed`: Config.ExposedPorts keys (`80/tcp`), shown bare when not published. */
export function renderPortsColumn(published: PublishedPort[], exposed: string[] = []): string {
  const ports: DisplayPort[] = published.map((p) => ({ ip: p.hostIp || '0.0.0.0', privatePort: p.containerPort, publicPort: p.hostPort, type: p.proto }));
  for (const key of exposed) {
    const [port, type = 'tcp'] = key.split('/');
    const n = Number(port);
    if (!ports.some((p) => p.privatePort === n && p.type === type)) ports.push({ ip: '', privatePort: n, publicPort: 0, type });
  }
  ports.sort(compare);
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const mappings: string[] = [];
  for (const p of ports) {
    let key = p.type;
    if (p.ip) {
      if (p.publicPort !== p.privatePort) {
        mappings.push(`${p.ip}:${p.publicPort}->${p.privatePort}/${p.type}`);
        continue;
      }
      key = `${p.ip}/${p.type}`;
    }
    const g = groups.get(key);
    if (!g) groups.set(key, { first: p.privatePort, last: p.privatePort });
    else if (p.privatePort === g.last + 1) g.last = p.privatePort;
    else {
      result.push(formGroup(key, g.first, g.last));
      groups.set(key, { first: p.privatePort, last: p.privatePort });
    }
  }
  for (const [key, g] of groups) result.push(formGroup(key, g.first, g.last));
  return [...result, ...mappings].join(', ');
}

/**
 * `docker port CONTAINER [PRIVATE_PORT[/PROTO]]`: `80/tcp -> 0.0.0.0:18080` lines, or only the
 * `0.0.0.0:18080` part when a port is given. Returns undefined when that port is not published
 * (docker: "Error: No public port '80/tcp' published for NAME").
 */
export function renderPortLines(published: PublishedPort[], filter?: string): string[] | undefined {
  const sorted = [...published].sort((a, b) => a.containerPort - b.containerPort || a.proto.localeCompare(b.proto) || a.hostPort - b.hostPort);
  if (filter === undefined) return sorted.map((p) => `${p.containerPort}/${p.proto} -> ${p.hostIp || '0.0.0.0'}:${p.hostPort}`);
  const [port, proto = 'tcp'] = filter.split('/');
  const hits = sorted.filter((p) => String(p.containerPort) === port && p.proto === proto);
  return hits.length ? hits.map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}`) : undefined;
}
