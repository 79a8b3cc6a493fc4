// --security-opt values: the CLI's check (container/opts.go parseSecurityOpts) and the
// daemon's interpretation (daemon/oci_linux.go parseSecurityOpt). A seccomp profile path is
// returned for the caller to read; this module touches no files.
import { badValue } from './flag-error.js';
import { parseBool } from './strconv.js';

export interface SecurityOptions {
  noNewPrivileges: boolean;
  /** `unconfined`, `builtin`/`default`, or a profile file path to read. */
  seccomp?: { kind: 'unconfined' | 'default' } | { kind: 'file'; path: string };
  apparmor?: string;
  /** `label=user:…`, `label=disable`… (SELinux), in order. */
  labels: string[];
  writableCgroups?: boolean;
}

export function parseSecurityOpts(values: readonly string[]): SecurityOptions {
  const out: SecurityOptions = { noNewPrivileges: false, labels: [] };
  for (const opt of values) {
    let sep = opt.indexOf('=');
    if (sep < 0 && opt !== 'no-new-privileges') sep = opt.indexOf(':'); // deprecated `:` separator
    const k = sep < 0 ? opt : opt.slice(0, sep);
    const v = sep < 0 ? '' : opt.slice(sep + 1);
    if (k !== 'no-new-privileges' && (sep < 0 || v === '')) throw badValue(`Invalid --security-opt: ${JSON.stringify(opt)}`);
    const bool = () => {
      try {
        return parseBool(v);
      } catch {
        throw badValue(`invalid --security-opt 2: ${JSON.stringify(opt)}`);
      }
    };
    switch (k) {
      case 'no-new-privileges':
        out.noNewPrivileges = sep < 0 ? true : bool();
        break;
      case 'label':
        out.labels.push(v);
        break;
      case 'apparmor':
        out.apparmor = v;
        break;
      case 'seccomp':
        out.seccomp = v === 'unconfined' ? { kind: 'unconfined' } : v === 'builtin' || v === 'default' ? { kind: 'default' } : { kind: 'file', path: v };
        break;
      case 'writable-cgroups':
        out.writableCgroups = bool();
        break;
      default:
        throw badValue(`invalid --security-opt 2: ${JSON.stringify(opt)}`);
    }
  }
  return out;
}
