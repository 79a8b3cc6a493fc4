// Fixtures for network integration tests: a temporary root, fake containers (records only:
// the "container" is busybox run inside the netns that attachNetworks made), processes tracked
// by PID, and a dummy host address the tests may send traffic to.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createEngine, type Engine } from '../../../src/engine.js';
import { RealHost } from '../../../src/host/real.js';
import type { Container } from '../../../src/runtime/model.js';
import { ContainerStore } from '../../../src/runtime/store.js';
import { resetNetworking } from '../../../src/runtime/network/index.js';
import { NetworkStore } from '../../../src/runtime/network/store.js';
import { instanceOf } from '../../../src/runtime/network/names.js';

export const isRoot = process.getuid?.() === 0;

export interface Sh {
  code: number;
  stdout: string;
  stderr: string;
}

export function sh(argv: string[], timeoutMs = 10_000): Promise<Sh> {
  return new Promise((resolve) => {
    execFile(argv[0], argv.slice(1), { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Fails with the command and its output. */
export async function ok(argv: string[], timeoutMs?: number): Promise<string> {
  const r = await sh(argv, timeoutMs);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} -> ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export class Fixture {
  readonly root: string;
  readonly engine: Engine;
  readonly procs: ChildProcess[] = [];
  readonly dummies: string[] = [];
  readonly www: string;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'minidock-net-'));
    chmodSync(this.root, 0o755);
    this.engine = createEngine({ host: new RealHost(), root: this.root });
    this.www = join(this.root, 'www');
    mkdirSync(this.www);
    writeFileSync(join(this.www, 'index.html'), 'hello from minidock\n');
  }

  /** A container record as `create` writes it; the network part is all that matters here. */
  container(o: Partial<{ name: string; network: string; ports: Record<string, { HostIp: string; HostPort: string }[]>; publishAll: boolean; exposed: string[]; extraHosts: string[]; dns: string[] }> = {}): Container {
    const id = randomBytes(32).toString('hex');
    const c = {
      Id: id,
      Name: o.name ?? `c${id.slice(0, 6)}`,
      Created: new Date().toISOString(),
      Image: 'sha256:' + '0'.repeat(64),
      ImageName: 'busybox',
      Layers: [],
      Config: {
        Hostname: id.slice(0, 12), User: '', Tty: false, OpenStdin: false, Env: [], Cmd: ['httpd'], Entrypoint: null, WorkingDir: '', Labels: {},
        ExposedPorts: o.exposed ? Object.fromEntries(o.exposed.map((p) => [p, {}])) : null, Image: 'busybox',
      },
      HostConfig: {
        AutoRemove: false, Privileged: false, ReadonlyRootfs: false, Init: false, CapAdd: [], CapDrop: [], SecurityOpt: [], NoNewPrivileges: false, Tmpfs: {},
        RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, Memory: 0, MemorySwap: 0, NanoCpus: 0, CpuShares: 0, PidsLimit: null, CgroupParent: '',
        NetworkMode: o.network ?? 'default', GroupAdd: [], ExtraHosts: o.extraHosts ?? [], Dns: o.dns ?? [], PortBindings: o.ports ?? {}, PublishAllPorts: o.publishAll ?? false, Binds: [],
      },
      Mounts: [],
      Path: 'httpd',
      Args: [],
    } satisfies Container;
    const store = new ContainerStore(this.engine);
    mkdirSync(store.dir(id), { recursive: true });
    store.writeContainer(c);
    return c;
  }

  /** busybox httpd -f as the "container" process, in the netns; tracked for afterAll. */
  async httpd(netns: string, ip: string, port = 80): Promise<ChildProcess> {
    const p = spawn('ip', ['netns', 'exec', netns, '/bin/busybox', 'httpd', '-f', '-p', String(port), '-h', this.www], { stdio: 'ignore' });
    this.procs.push(p);
    for (let i = 0; i < 200; i++) {
      if ((await sh(['ip', 'netns', 'exec', netns, 'timeout', '1', '/bin/busybox', 'wget', '-q', '-O', '/dev/null', `http://${ip}:${port}/`])).code === 0) return p;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`httpd in ${netns} did not answer on ${ip}:${port}`);
  }

  /** An empty bridge with one /32 address (this kernel has no dummy driver): a host address that the tests created. */
  async hostAddress(): Promise<string> {
    const name = `mdt-${randomBytes(3).toString('hex')}`;
    const ip = `10.213.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0] % 250)}`;
    await ok(['ip', 'link', 'add', name, 'type', 'bridge']);
    this.dummies.push(name);
    await ok(['ip', 'addr', 'add', `${ip}/32`, 'dev', name]);
    await ok(['ip', 'link', 'set', name, 'up']);
    return ip;
  }

  async cleanup(): Promise<void> {
    for (const p of this.procs) if (p.exitCode === null && p.signalCode === null && p.pid) process.kill(p.pid, 'SIGKILL');
    for (const d of this.dummies) await sh(['ip', 'link', 'del', d]);
    const store = new NetworkStore(this.engine);
    await resetNetworking(this.engine);
    for (const n of store.records()) if (!n.Default) await store.remove(n.Id).catch(() => undefined);
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** What is left on the host of this root: links, netns, nft table, dnsmasq. */
export async function leftovers(f: Fixture): Promise<string[]> {
  const out: string[] = [];
  const links = JSON.parse((await ok(['ip', '-j', '-d', 'link', 'show'])) || '[]') as { ifname: string; ifalias?: string }[];
  for (const l of links) if (l.ifalias?.includes(f.engine.paths.root) || (l.ifalias ?? '').startsWith(`minidock:${tagOf(f)}:`)) out.push(`link ${l.ifname}`);
  for (const n of (await ok(['ip', 'netns', 'list'])).split('\n')) if (n.startsWith(`minidock-${tagOf(f)}-`)) out.push(`netns ${n}`);
  if ((await sh(['nft', 'list', 'table', 'ip', `minidock-${tagOf(f)}`])).code === 0) out.push('nft table');
  const ps = await ok(['ps', '-eo', 'pid,args']);
  for (const line of ps.split('\n')) if (line.includes('dnsmasq') && line.includes(`dns-${tagOf(f)}`)) out.push(`process ${line.trim()}`);
  return out;
}

export const tagOf = (f: Fixture) => instanceOf(f.root);
