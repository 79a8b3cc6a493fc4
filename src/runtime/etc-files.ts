// /etc/hosts, /etc/hostname and /etc/resolv.conf as docker writes them for a container.
// Pure: the engine writes them into the container's directory and bind-mounts them.

export function renderHosts(hostname: string, addresses: string[], extraHosts: { name: string; ip: string }[] = [], aliases: string[] = []): string {
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
  ];
  for (const h of extraHosts) lines.push(`${h.ip}\t${h.name}`);
  for (const ip of addresses) lines.push(`${ip}\t${[hostname, ...aliases].join(' ')}`);
  return lines.join('\n') + '\n';
}

/**
 * docker copies the host's resolv.conf without loopback nameservers (they would point at
 * the container itself); when none are left it falls back to Google's public DNS. `--dns`
 * replaces the nameservers.
 */
export function renderResolvConf(hostResolv: string, dns: string[] = [], dnsSearch: string[] = [], dnsOptions: string[] = []): string {
  const kept: string[] = [];
  let nameservers = 0;
  for (const line of hostResolv.split('\n')) {
    const t = line.trim();
    const ns = /^nameserver\s+(\S+)/.exec(t);
    if (ns) {
      if (dns.length || /^127\.|^::1$/.test(ns[1])) continue;
      nameservers++;
      kept.push(`nameserver ${ns[1]}`);
      continue;
    }
    if (/^search\s/.test(t) && dnsSearch.length) continue;
    if (/^options\s/.test(t) && dnsOptions.length) continue;
    if (t) kept.push(t);
  }
  for (const d of dns) kept.push(`nameserver ${d}`);
  if (!dns.length && nameservers === 0) kept.push('nameserver 8.8.8.8', 'nameserver 8.8.4.4');
  if (dnsSearch.length) kept.push(`search ${dnsSearch.join(' ')}`);
  if (dnsOptions.length) kept.push(`options ${dnsOptions.join(' ')}`);
  return kept.join('\n') + '\n';
}
