// EXPOSE values to "port/proto" keys, as BuildKit's convert_expose.go parses them:
// [ip:][hostPort:]containerPort[-end][/proto], a range expanded to one key per port, the
// protocol lower-cased and defaulting to tcp (tcp, udp and sctp are accepted).
import { invalid } from '../../errors.js';

export function parsePortSpecs(specs: readonly string[]): string[] {
  return specs.flatMap(parsePortSpec);
}

function parsePortSpec(raw: string): string[] {
  const parts = raw.split(':');
  const containerPart = parts[parts.length - 1];
  const hostPort = parts.length >= 2 ? parts[parts.length - 2] : '';
  const ip = parts.length >= 3 ? parts.slice(0, -2).join(':') : '';
  const slash = containerPart.indexOf('/');
  const port = slash < 0 ? containerPart : containerPart.slice(0, slash);
  const proto = slash < 0 ? 'tcp' : containerPart.slice(slash + 1).toLowerCase() || 'tcp';
  if (port === '') throw invalid(`no port specified: ${containerPart}<empty>`);
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw invalid(`invalid proto: ${proto}`);
  if (ip !== '' && !isIp(ip.replace(/^\[(.*)\]$/, '$1'))) throw invalid(`invalid IP address: ${ip}`);
  const [start, end] = portRange(port, `invalid containerPort: ${port}`);
  if (hostPort !== '') {
    const [hs, he] = portRange(hostPort, `invalid hostPort: ${hostPort}`);
    if (end - start !== he - hs && end !== start) {
      throw invalid(`invalid ranges specified for container and host Ports: ${port} and ${hostPort}`);
    }
  }
  const out: string[] = [];
  for (let p = start; p <= end; p++) out.push(`${p}/${proto}`);
  return out;
}

function portRange(text: string, message: string): [number, number] {
  const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(text);
  if (!m) throw invalid(message);
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > 65535 || end > 65535 || end < start) throw invalid(message);
  return [start, end];
}

function isIp(s: string): boolean {
  return /^(\d{1,3})(\.\d{1,3}){3}$/.test(s) || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s));
}
