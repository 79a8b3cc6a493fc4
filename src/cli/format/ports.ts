// The PORTS column of `docker ps` (formatter.DisplayablePorts): consecutive exposed ports are
// grouped into ranges (`8000-8002/tcp`), bound ports print as `0.0.0.0:8080->80/tcp`, and IPv6
// host addresses get brackets (`[::]:8080->80/tcp`).

/** One entry of a container's port list (the API's PortSummary). */
export interface PortSummary {
  /** Host IP of a published port; absent for an exposed-only port. */
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  /** tcp | udp | sctp */
  Type: string;
}

function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function comparePorts(a: PortSummary, b: PortSummary): number {
  if (a.PrivatePort !== b.PrivatePort) return a.PrivatePort - b.PrivatePort;
  const ia = a.IP ?? '';
  const ib = b.IP ?? '';
  if (ia !== ib) return ia < ib ? -1 : 1;
  const pa = a.PublicPort ?? 0;
  const pb = b.PublicPort ?? 0;
  if (pa !== pb) return pa - pb;
  return a.Type < b.Type ? -1 : a.Type > b.Type ? 1 : 0;
}

function formGroup(key: string, first: number, last: number): string {
  const slash = key.lastIndexOf('/');
  const ip = slash >= 0 ? key.slice(0, slash) : '';
  const type = slash >= 0 ? key.slice(slash + 1) : key;
  let group = String(first);
  if (first !== last) group += `-${last}`;
  if (ip !== '') group = `${joinHostPort(ip, group)}->${group}`;
  return `${group}/${type}`;
}

export function renderPorts(ports: readonly PortSummary[]): string {
  const sorted = [...ports].sort(comparePorts);
  const groups = new Map<string, { first: number; last: number }>();
  const result: string[] = [];
  const hostMappings: string[] = [];
  for (const p of sorted) {
    const current = p.PrivatePort;
    let key = p.Type;
    if (p.IP !== undefined && p.IP !== '') {
      if ((p.PublicPort ?? 0) !== current) {
        hostMappings.push(`${joinHostPort(p.IP, String(p.PublicPort ?? 0))}->${p.PrivatePort}/${p.Type}`);
        continue;
      }
      key = `${p.IP}/${p.Type}`;
    }
    const g = groups.get(key);
    if (g === undefined) {
      groups.set(key, { first: current, last: current });
      continue;
    }
    if (current === g.last + 1) {
      g.last = current;
      continue;
    }
    result.push(formGroup(key, g.first, g.last));
    // Re-inserting keeps the key's first-seen position, as docker's groupMapKeys slice does.
    groups.set(key, { first: current, last: current });
  }
  for (const [key, g] of groups) result.push(formGroup(key, g.first, g.last));
  return [...result, ...hostMappings].join(', ');
}
