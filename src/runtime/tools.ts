// Absolute paths of the host helpers a container start runs. They are resolved once, here,
// and never through a container's PATH. The shim ships with minidock (dist/minidock-shim).
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MinidockError } from '../errors.js';

export interface Tools {
  sh: string;
  unshare: string;
  nsenter: string;
  shim: string;
  tini?: string;
}

const SEARCH = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin'];

function which(name: string, pkg: string): string {
  for (const d of SEARCH) {
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  throw new MinidockError(`${name} not found`, { kind: 'host', exitCode: 125, hint: `install ${pkg} (apt-get install ${pkg})` });
}

/**
 * dist/minidock-shim: $MINIDOCK_SHIM, else beside the launcher ($MINIDOCK_BIN, set by
 * bin/minidock), else found from this module's location (dist/ or dist/chunks/).
 */
export function findShim(): string {
  const env = process.env.MINIDOCK_SHIM;
  if (env) return env;
  const bin = process.env.MINIDOCK_BIN;
  if (bin && existsSync(join(dirname(bin), '..', 'dist', 'minidock-shim'))) return join(dirname(bin), '..', 'dist', 'minidock-shim');
  // import.meta is empty in the snapshot's CommonJS bundle; there MINIDOCK_BIN is always set.
  let dir = import.meta.url ? dirname(fileURLToPath(import.meta.url)) : process.cwd();
  for (let i = 0; i < 4; i++) {
    for (const candidate of [join(dir, 'minidock-shim'), join(dir, 'dist', 'minidock-shim')]) {
      if (existsSync(candidate)) return candidate;
    }
    dir = dirname(dir);
  }
  throw new MinidockError('minidock-shim not found next to minidock', {
    kind: 'host',
    exitCode: 125,
    hint: 'run `npm run build` (it compiles shim/shim.c; needs gcc and libc6-dev)',
  });
}

let cached: Tools | undefined;

export function tools(): Tools {
  if (!cached) {
    let tini: string | undefined;
    try {
      tini = which('tini-static', 'tini');
    } catch {
      tini = undefined;
    }
    cached = {
      sh: which('sh', 'dash'),
      unshare: which('unshare', 'util-linux'),
      nsenter: which('nsenter', 'util-linux'),
      shim: findShim(),
      tini,
    };
  }
  return cached;
}
