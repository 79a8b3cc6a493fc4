// A container's ports as the API's PortSummary list (for the PORTS column and `port`):
// exposed ports, and while it runs, the host ports they are published on.
import type { PortSummary } from '../cli/format/ports.js';
import type { Container, State } from './model.js';

export function containerPorts(c: Container, s: State): PortSummary[] {
  const out: PortSummary[] = [];
  const running = s.Status === 'running' || s.Status === 'paused';
  const published = new Set<string>();
  if (running) {
    const actual = (s as { Ports?: Record<string, { HostIp: string; HostPort: string }[]> }).Ports ?? {};
    for (const [key, bindings] of Object.entries(actual)) {
      const [port, proto = 'tcp'] = key.split('/');
      for (const b of bindings) {
        out.push({ IP: b.HostIp || '0.0.0.0', PrivatePort: Number(port), PublicPort: Number(b.HostPort), Type: proto });
        published.add(key);
      }
    }
  }
  for (const key of Object.keys(c.Config.ExposedPorts ?? {})) {
    if (published.has(key)) continue;
    const [port, proto = 'tcp'] = key.split('/');
    out.push({ PrivatePort: Number(port), Type: proto });
  }
  return out;
}
