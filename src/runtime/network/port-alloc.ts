// Host ports for published container ports. A host port belongs to the host, not to one
// engine root, so each is reserved with a file created O_EXCL in /run/minidock/ports (atomic
// across processes and roots, no lock needed), and probed by binding it, as docker's port
// allocator does, so a port a host process listens on is refused with a clear error. All or
// nothing: a failure releases what this call reserved.
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import type { Engine } from '../../engine.js';
import { MinidockError, errnoCode } from '../../errors.js';
import type { PublishedPort } from './model.js';
import { hostNames } from './names.js';
import type { PortRequest, Proto } from './port-spec.js';

interface Reservation {
  root: string;
  container: string;
}

/** docker's allocator draws from the ephemeral range (32768–60999 on Linux by default). */
export function ephemeralRange(text?: string): [number, number] {
  let raw = text;
  if (raw === undefined) {
    try {
      raw = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    } catch {
      raw = '';
    }
  }
  const [lo, hi] = raw.trim().split(/\s+/).map(Number);
  return Number.isInteger(lo) && Number.isInteger(hi) && lo > 0 && hi >= lo ? [lo, hi] : [32768, 60999];
}

/** Can a socket bind this port now? (A listener on 127.0.0.1 also blocks 0.0.0.0.) */
export function probePort(proto: Proto, hostIp: string, port: number): Promise<boolean> {
  const host = hostIp || '0.0.0.0';
  return new Promise((resolve) => {
    if (proto === 'udp') {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind({ port, address: host, exclusive: true }, () => s.close(() => resolve(true)));
      return;
    }
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

export type Probe = typeof probePort;

function readReservation(file: string): Reservation | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<Reservation>;
    return typeof v.root === 'string' && typeof v.container === 'string' ? { root: v.root, container: v.container } : undefined;
  } catch {
    return undefined;
  }
}

/** A reservation whose container no longer exists (its root lost it, or the root is gone). */
function isStale(r: Reservation | undefined): boolean {
  return !r || !existsSync(`${r.root}/containers/${r.container}/container.json`);
}

export class PortReservations {
  private readonly dir: string;
  constructor(
    private readonly engine: Engine,
    private readonly probe: Probe = probePort,
  ) {
    this.dir = hostNames(engine).portsDir;
  }

  private file(proto: Proto, port: number): string {
    return `${this.dir}/${proto}-${port}`;
  }

  /** Reserve one port for `container`: true if it is ours now. */
  private async take(container: string, proto: Proto, hostIp: string, port: number): Promise<'ok' | 'allocated' | 'in-use'> {
    const file = this.file(proto, port);
    const me: Reservation = { root: this.engine.paths.root, container };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o644);
        writeSync(fd, JSON.stringify(me));
        closeSync(fd);
        break;
      } catch (err) {
        if (errnoCode(err) !== 'EEXIST') throw err;
        const owner = readReservation(file);
        if (owner && owner.root === me.root && owner.container === container) break; // ours from an earlier run
        if (attempt === 0 && isStale(owner)) {
          unlinkSync(file);
          continue;
        }
        return 'allocated';
      }
    }
    if (this.engine.host.mode === 'real' && !(await this.probe(proto, hostIp, port))) {
      unlinkSync(file);
      return 'in-use';
    }
    return 'ok';
  }

  /** Host ports for every request, or an error naming the port and nothing reserved. */
  async reserve(container: string, requests: PortRequest[], range = ephemeralRange()): Promise<PublishedPort[]> {
    mkdirSync(this.dir, { recursive: true });
    const done: PublishedPort[] = [];
    try {
      for (const r of requests) {
        const hostIp = r.hostIp || '0.0.0.0';
        let candidates: number[];
        if (r.hostPortLo === 0) {
          // Random start so that concurrent runs rarely race for the same port (the O_EXCL file decides).
          const span = range[1] - range[0] + 1;
          const start = randomInt(span);
          candidates = Array.from({ length: span }, (_, i) => range[0] + ((start + i) % span));
        } else {
          candidates = [];
          for (let p = r.hostPortLo; p <= r.hostPortHi; p++) candidates.push(p);
        }
        let got: number | undefined;
        let last: 'allocated' | 'in-use' = 'allocated';
        for (const port of candidates) {
          if (done.some((d) => d.hostPort === port && d.proto === r.proto)) continue;
          const res = await this.take(container, r.proto, r.hostIp, port);
          if (res === 'ok') {
            got = port;
            break;
          }
          last = res;
        }
        if (got === undefined) throw portError(r, hostIp, last);
        done.push({ containerPort: r.containerPort, proto: r.proto, hostIp, hostPort: got });
      }
    } catch (err) {
      for (const d of done) this.unlinkIfOurs(container, d.proto, d.hostPort);
      throw err;
    }
    return done;
  }

  private unlinkIfOurs(container: string, proto: Proto, port: number): void {
    const file = this.file(proto, port);
    const owner = readReservation(file);
    if (owner && owner.root === this.engine.paths.root && owner.container === container) {
      try {
        unlinkSync(file);
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT') throw err;
      }
    }
  }

  /** Every reservation of `container` (idempotent). */
  release(container: string): number {
    let n = 0;
    for (const { file, owner } of this.all()) {
      if (owner?.root === this.engine.paths.root && owner.container === container) {
        try {
          unlinkSync(file);
          n++;
        } catch (err) {
          if (errnoCode(err) !== 'ENOENT') throw err;
        }
      }
    }
    return n;
  }

  /** Reservations of this root: file, owner. */
  all(): { file: string; owner: Reservation | undefined }[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw err;
    }
    return names.filter((n) => /^(tcp|udp)-\d+$/.test(n)).map((n) => ({ file: `${this.dir}/${n}`, owner: readReservation(`${this.dir}/${n}`) }));
  }
}

function portError(r: PortRequest, hostIp: string, why: 'allocated' | 'in-use'): MinidockError {
  const port = r.hostPortLo === r.hostPortHi ? String(r.hostPortLo) : r.hostPortLo === 0 ? 'any' : `${r.hostPortLo}-${r.hostPortHi}`;
  const message =
    why === 'allocated'
      ? `Bind for ${hostIp}:${port} failed: port is already allocated`
      : `failed to bind host port ${hostIp}:${port}/${r.proto}: address already in use`; // docker 28's wording (no userland proxy)
  return new MinidockError(message, { kind: 'conflict', exitCode: 125, hint: 'choose another host port, or stop what uses this one', context: { port: r } });
}
