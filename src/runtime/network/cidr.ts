// IPv4 addresses and CIDR blocks as numbers: parsing (with docker's error wording), overlap
// and containment, the addresses a subnet can hand out. Pure. IPv4 only: minidock networks
// have no IPv6 (docker's default too: `EnableIPv6: false`).
import { MinidockError } from '../../errors.js';

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseIp(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function formatIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** `172.18.0.0/16` → Cidr. Host bits are cleared, as Go's net.ParseCIDR does for the network. */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const ip = parseIp(m[1]);
  const prefix = Number(m[2]);
  if (ip === undefined || prefix > 32) return undefined;
  return { base: (ip & mask(prefix)) >>> 0, prefix };
}

/** docker: `invalid CIDR address: 300.1.1.0/24` (usage error, exit 125 in `run`, 1 in `network create`). */
export function requireCidr(text: string): Cidr {
  const c = parseCidr(text);
  if (!c) throw new MinidockError(`invalid CIDR address: ${text}`, { kind: 'usage', exitCode: 1 });
  return c;
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.prefix}`;
}

export function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function last(c: Cidr): number {
  return c.base + size(c) - 1;
}

export function contains(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip <= last(c);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base <= last(b) && b.base <= last(a);
}

/** The first host address: docker's default gateway of a subnet. */
export function firstHost(c: Cidr): number {
  return c.prefix >= 31 ? c.base : c.base + 1;
}

/** Usable for a container: inside, and not the network or broadcast address (for prefixes up to /30). */
export function isHostAddress(c: Cidr, ip: number): boolean {
  if (!contains(c, ip)) return false;
  if (c.prefix >= 31) return true;
  return ip !== c.base && ip !== last(c);
}

/** docker's MAC for an address: 02:42 followed by the four octets (libnetwork's GenerateMACFromIP). */
export function macForIp(ip: number): string {
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  return ['02', '42', hex(ip >>> 24), hex((ip >>> 16) & 255), hex((ip >>> 8) & 255), hex(ip & 255)].join(':');
}
