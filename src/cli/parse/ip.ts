// Go's net.ParseIP validity rules, enough for -p and --add-host: dotted-quad IPv4 without
// leading zeros, and IPv6 with `::` and an optional trailing dotted quad. No zones.

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

export function isIPv6(s: string): boolean {
  if (s.includes('%')) return false;
  let groups = 8;
  let body = s;
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.slice(lastColon + 1).includes('.')) {
    if (!isIPv4(s.slice(lastColon + 1))) return false;
    body = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const hex = (part: string): string[] | undefined => {
    if (part === '') return [];
    const g = part.split(':');
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g : undefined;
  };
  const left = hex(halves[0]);
  if (left === undefined) return false;
  if (halves.length === 1) return left.length === groups;
  const right = hex(halves[1]);
  if (right === undefined) return false;
  groups -= 1; // `::` stands for at least one group
  return left.length + right.length <= groups;
}

/** net.ParseIP(s) != nil */
export function isIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}
