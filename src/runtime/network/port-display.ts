// The PORTS column of `ps` and the lines of `port`, as docker prints them
// (docker/cli api/types DisplayablePorts: equal host and container ports are grouped into
// ranges, other mappings follow one by one). minidock publishes on IPv4 only, so docker's
// second `:::18080->80/tcp` entry never appears. Pure.
import { renderPorts, type PortSummary } from '../../cli/format/ports.js';
import type { PublishedPort } from './model.js';

/** `published`: what is mapped now; `exposed`: Config.ExposedPorts keys (`80/tcp`), shown bare when not published. */
export function renderPortsColumn(published: PublishedPort[], exposed: string[] = []): string {
  const ports: PortSummary[] = published.map((p) => ({ IP: p.hostIp || '0.0.0.0', PrivatePort: p.containerPort, PublicPort: p.hostPort, Type: p.proto }));
  for (const key of exposed) {
    const [port, type = 'tcp'] = key.split('/');
    const n = Number(port);
    if (!ports.some((p) => p.PrivatePort === n && p.Type === type)) ports.push({ PrivatePort: n, Type: type });
  }
  return renderPorts(ports);
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
