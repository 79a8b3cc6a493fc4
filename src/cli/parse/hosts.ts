// --add-host name:ip / name=ip (opts.ValidateExtraHost), including the special `host-gateway`.
import { badValue } from './flag-error.js';
import { isIP } from './ip.js';

export const HOST_GATEWAY = 'host-gateway';

/** Returns `name:ip` as docker passes it on (brackets around IPv6 removed). */
export function parseAddHost(val: string): string {
  let sep = val.indexOf('=');
  if (sep < 0) sep = val.indexOf(':'); // only the first ':' splits, so IPv6 addresses survive
  const name = sep < 0 ? val : val.slice(0, sep);
  let ip = sep < 0 ? '' : val.slice(sep + 1);
  if (sep < 0 || name === '' || name.includes(':')) throw badValue(`bad format for add-host: ${JSON.stringify(val)}`);
  if (ip !== HOST_GATEWAY) {
    if (ip.length > 2 && ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
    if (!isIP(ip)) throw badValue(`invalid IP address in add-host: ${JSON.stringify(ip)}`);
  }
  return `${name}:${ip}`;
}
