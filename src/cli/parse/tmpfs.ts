// --tmpfs /path[:options] (client: split at the first ':'; daemon: destination and option
// checks, then the options merged over docker's defaults noexec,nosuid,nodev,rprivate).
import { posix } from 'node:path';
import { badValue } from './flag-error.js';

/** Mount flags (pkg/mount ParseOptions) that may appear among tmpfs options. */
const FLAGS: Record<string, string | undefined> = {
  ro: 'rw', rw: 'ro', noexec: 'exec', exec: 'noexec', nosuid: 'suid', suid: 'nosuid', nodev: 'dev', dev: 'nodev',
  sync: 'async', async: 'sync', dirsync: undefined, remount: undefined, mand: 'nomand', nomand: 'mand',
  atime: 'noatime', noatime: 'atime', diratime: 'nodiratime', nodiratime: 'diratime', bind: undefined, rbind: undefined,
  relatime: 'norelatime', norelatime: 'relatime', strictatime: 'nostrictatime', nostrictatime: 'strictatime',
  private: undefined, rprivate: undefined, shared: undefined, rshared: undefined, slave: undefined, rslave: undefined,
  unbindable: undefined, runbindable: undefined,
};
/** Data options tmpfs accepts (ParseTmpfsOptions' validFlags). */
const DATA = ['size', 'mode', 'uid', 'gid', 'nr_inodes', 'nr_blocks', 'mpol'];
const PROPAGATION = ['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave', 'unbindable', 'runbindable'];

export interface TmpfsSpec {
  target: string;
  /** The options as given (`size=64m,uid=1000`). */
  options: string;
}

/** Parses one --tmpfs value and checks it as the daemon does. */
export function parseTmpfsFlag(value: string): TmpfsSpec {
  const colon = value.indexOf(':');
  const target = colon < 0 ? value : value.slice(0, colon);
  const options = colon < 0 ? '' : value.slice(colon + 1);
  if (posix.normalize(target.replace(/\\/g, '/')) === '/') throw badValue("invalid specification: destination can't be '/'");
  if (!posix.isAbsolute(target)) throw badValue(`invalid mount path: '${target}' mount path must be absolute`);
  if (options !== '') {
    for (const o of options.split(',')) {
      const key = o.split('=', 1)[0];
      if (key in FLAGS) continue;
      if (!DATA.includes(key)) throw badValue(`Invalid tmpfs option [${o.split('=', 2).map((s) => JSON.stringify(s)).join(' ')}]`);
    }
  }
  return { target, options };
}

/**
 * MergeTmpfsOptions over docker's defaults: the mount options a --tmpfs mount gets. A later
 * flag replaces its opposite (`exec` drops `noexec`), a later `key=value` replaces the key.
 */
export function tmpfsMountOptions(options: string): string[] {
  const all = ['noexec', 'nosuid', 'nodev', 'rprivate', ...(options === '' ? [] : options.split(','))];
  const out: string[] = [];
  for (const o of all) {
    const eq = o.indexOf('=');
    if (eq >= 0) {
      const key = o.slice(0, eq + 1);
      const i = out.findIndex((x) => x.startsWith(key));
      if (i >= 0) out.splice(i, 1);
    } else if (PROPAGATION.includes(o)) {
      const i = out.findIndex((x) => PROPAGATION.includes(x));
      if (i >= 0) out.splice(i, 1);
    } else {
      const opposite = FLAGS[o];
      const i = out.findIndex((x) => x === o || x === opposite);
      if (i >= 0) out.splice(i, 1);
    }
    out.push(o);
  }
  return out;
}
