// Network records: `networks/<id>.json`, written atomically under the root's `networks` lock
// (every change of a record — create, remove, an address reserved or released — holds it).
// Choosing a subnet and creating the bridge also hold a host-wide lock, because several roots
// share the host's routes. `none`, `host` and the default `bridge` are predefined, as in
// docker; `bridge` gets its record (and subnet, and minidock0) on first use.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../../engine.js';
import { MinidockError, errnoCode } from '../../errors.js';
import { writeJsonAtomic } from '../../state/atomic.js';
import { withLock } from '../../state/lock.js';
import { ensureBridge, poolOverlaps, removeBridge } from './bridge.js';
import { contains, firstHost, formatCidr, formatIp, overlaps, parseCidr, parseIp, requireCidr, type Cidr } from './cidr.js';
import { stopDns } from './dns.js';
import { readHostBlocks } from './host-state.js';
import { NetworkSchema, type NetworkRecord } from './model.js';
import { hostNames } from './names.js';
import { pickSubnet } from './subnet-pick.js';

export const PREDEFINED = ['bridge', 'host', 'none'] as const;

/** What `network ls` shows: docker's columns and filter fields. */
export interface NetworkSummary {
  Id: string;
  Name: string;
  Driver: string;
  Scope: 'local';
  Internal: boolean;
  EnableIPv6: boolean;
  Labels: Record<string, string>;
  Created: string;
}

export interface CreateNetworkOptions {
  name: string;
  /** Only `bridge` (docker's default driver). */
  driver?: string;
  subnet?: string;
  gateway?: string;
  internal?: boolean;
  attachable?: boolean;
  labels?: Record<string, string>;
}

const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Fixed ids for the predefined networks of a root, so `ls` shows the same id before and after first use. */
export function predefinedId(root: string, name: string): string {
  return createHash('sha256').update(`minidock predefined network ${name} ${root}`).digest('hex');
}

export class NetworkStore {
  constructor(readonly engine: Engine) {}

  private file(id: string): string {
    return join(this.engine.paths.networksDir, `${id}.json`);
  }

  /** Run `fn` holding this root's networks lock. */
  locked<T>(fn: () => Promise<T> | T): Promise<T> {
    return withLock(this.engine.paths.lock('networks'), fn, { what: 'networks' });
  }

  /** Run `fn` holding the host-wide lock for subnets and bridges. Take it after `locked`. */
  hostLocked<T>(fn: () => Promise<T> | T): Promise<T> {
    const file = hostNames(this.engine).hostLock;
    mkdirSync(join(file, '..'), { recursive: true });
    return withLock(file, fn, { what: 'host network' });
  }

  read(id: string): NetworkRecord {
    const parsed = NetworkSchema.safeParse(JSON.parse(readFileSync(this.file(id), 'utf8')));
    if (!parsed.success) throw new MinidockError(`network ${id.slice(0, 12)}: record is invalid: ${parsed.error.message}`, { kind: 'corrupt' });
    return parsed.data;
  }

  write(net: NetworkRecord): void {
    mkdirSync(this.engine.paths.networksDir, { recursive: true });
    writeJsonAtomic(this.file(net.Id), net);
  }

  records(): NetworkRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.engine.paths.networksDir);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw err;
    }
    return names.filter((n) => /^[a-f0-9]{64}\.json$/.test(n)).map((n) => this.read(n.slice(0, 64)));
  }

  /** Every network, predefined ones first (docker's `network ls` then sorts by name). */
  list(): NetworkSummary[] {
    const recs = this.records();
    const root = this.engine.paths.root;
    const pre = (name: string, driver: string): NetworkSummary => ({
      Id: predefinedId(root, name),
      Name: name,
      Driver: driver,
      Scope: 'local',
      Internal: false,
      EnableIPv6: false,
      Labels: {},
      Created: '',
    });
    const out: NetworkSummary[] = [];
    const def = recs.find((r) => r.Default);
    out.push(def ? summary(def) : pre('bridge', 'bridge'), pre('host', 'host'), pre('none', 'null'));
    for (const r of recs) if (!r.Default) out.push(summary(r));
    return out;
  }

  /** docker's lookup: full id, exact name, then a unique id prefix. */
  find(ref: string): NetworkSummary | undefined {
    const all = this.list();
    const exact = all.find((n) => n.Id === ref) ?? all.find((n) => n.Name === ref);
    if (exact) return exact;
    if (!/^[a-f0-9]+$/.test(ref)) return undefined;
    const hits = all.filter((n) => n.Id.startsWith(ref));
    if (hits.length > 1) throw new MinidockError(`network ${ref} is ambiguous (${hits.length} matches found based on ID prefix)`, { kind: 'conflict' });
    return hits[0];
  }

  get(ref: string): NetworkSummary {
    const n = this.find(ref);
    if (!n) throw new MinidockError(`network ${ref} not found`, { kind: 'not-found' });
    return n;
  }

  /** The record of a bridge network (the default one is created on first use). */
  async bridgeRecord(ref: string): Promise<NetworkRecord> {
    const n = this.get(ref);
    if (n.Driver !== 'bridge') throw new MinidockError(`network ${n.Name} (driver ${n.Driver}) has no bridge`, { kind: 'usage' });
    if (n.Name === 'bridge' && n.Id === predefinedId(this.engine.paths.root, 'bridge')) return this.ensureDefault();
    return this.read(n.Id);
  }

  /** The default `bridge` network: record, subnet and minidock0 on first use. */
  async ensureDefault(): Promise<NetworkRecord> {
    const id = predefinedId(this.engine.paths.root, 'bridge');
    return this.locked(() =>
      this.hostLocked(async () => {
        let net: NetworkRecord | undefined;
        try {
          net = this.read(id);
        } catch (err) {
          if (errnoCode(err) !== 'ENOENT') throw err;
        }
        if (!net) {
          const subnet = await this.freeSubnet();
          net = newRecord({ id, name: 'bridge', subnet, gateway: firstHost(subnet), bridge: hostNames(this.engine).defaultBridge, internal: false, userSubnet: false, isDefault: true, labels: {}, attachable: false });
          this.write(net);
        }
        await ensureBridge(this.engine, net);
        return net;
      }),
    );
  }

  private async freeSubnet(): Promise<Cidr> {
    const taken = [...(await readHostBlocks(this.engine)), ...this.records().map((r) => parseCidr(r.IPAM.Config[0].Subnet)!)];
    return pickSubnet(taken);
  }

  async create(o: CreateNetworkOptions): Promise<NetworkRecord> {
    const driver = o.driver ?? 'bridge';
    if (driver === 'host' || driver === 'null') throw new MinidockError(`only one instance of "${driver}" network is allowed`, { kind: 'conflict' });
    if (driver !== 'bridge') throw new MinidockError(`plugin "${driver}" not found`, { kind: 'not-found', hint: 'minidock has the bridge driver only' });
    if (!VALID_NAME.test(o.name)) throw new MinidockError(`invalid network name "${o.name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, { kind: 'usage', exitCode: 1 });
    const userSubnet = o.subnet !== undefined ? requireCidr(o.subnet) : undefined;
    if (o.gateway !== undefined && !userSubnet) throw new MinidockError('every ip-range or gateway must have a corresponding subnet', { kind: 'usage', exitCode: 1 });
    let gateway: number | undefined;
    if (o.gateway !== undefined) {
      gateway = parseIp(o.gateway);
      if (gateway === undefined) throw new MinidockError(`invalid gateway address ${o.gateway}`, { kind: 'usage', exitCode: 1 });
      if (!contains(userSubnet!, gateway)) throw new MinidockError(`no matching subnet for gateway ${o.gateway}`, { kind: 'usage', exitCode: 1 });
    }
    return this.locked(() => {
      const recs = this.records();
      if (PREDEFINED.includes(o.name as never) || recs.some((r) => r.Name === o.name)) {
        throw new MinidockError(`network with name ${o.name} already exists`, { kind: 'conflict' });
      }
      return this.hostLocked(async () => {
        let subnet: Cidr;
        if (userSubnet) {
          const other = recs.find((r) => overlaps(parseCidr(r.IPAM.Config[0].Subnet)!, userSubnet));
          if (other) throw poolOverlaps(`${formatCidr(userSubnet)} and network ${other.Name} (${other.IPAM.Config[0].Subnet})`);
          subnet = userSubnet;
        } else {
          subnet = await this.freeSubnet();
        }
        const id = randomBytes(32).toString('hex');
        const net = newRecord({
          id,
          name: o.name,
          subnet,
          gateway: gateway ?? firstHost(subnet),
          bridge: hostNames(this.engine).bridge(id),
          internal: o.internal ?? false,
          userSubnet: !!userSubnet,
          isDefault: false,
          labels: o.labels ?? {},
          attachable: o.attachable ?? false,
        });
        this.write(net);
        try {
          await ensureBridge(this.engine, net);
        } catch (err) {
          rmSync(this.file(id), { force: true });
          throw err;
        }
        return net;
      });
    });
  }

  /** `network rm`: refused for predefined networks and while a running container is attached. */
  async remove(ref: string): Promise<NetworkSummary> {
    const n = this.get(ref);
    if (PREDEFINED.includes(n.Name as never) && n.Id === predefinedId(this.engine.paths.root, n.Name)) {
      throw new MinidockError(`${n.Name} is a pre-defined network and cannot be removed`, { kind: 'conflict' });
    }
    await this.locked(async () => {
      const net = this.read(n.Id);
      if (Object.values(net.Endpoints).some((e) => e.Active)) {
        throw new MinidockError(`error while removing network: network ${net.Name} id ${net.Id} has active endpoints`, {
          kind: 'conflict',
          hint: 'stop or disconnect the containers on it first',
        });
      }
      // Stopped containers lose this network, as in docker.
      await this.destroy(net);
    });
    return n;
  }

  /** Host side and record; caller holds the lock. */
  private async destroy(net: NetworkRecord): Promise<void> {
    await stopDns(this.engine, net);
    await this.hostLocked(() => removeBridge(this.engine, net));
    rmSync(this.file(net.Id), { force: true });
  }

  /** `network prune`: user networks no container refers to. Returns their names. */
  async prune(filter: (n: NetworkSummary) => boolean = () => true): Promise<string[]> {
    return this.locked(async () => {
      const gone: string[] = [];
      for (const net of this.records()) {
        if (net.Default || Object.keys(net.Endpoints).length || !filter(summary(net))) continue;
        await this.destroy(net);
        gone.push(net.Name);
      }
      return gone;
    });
  }

  /** Read-modify-write of one record under the lock. */
  async update(id: string, fn: (net: NetworkRecord) => Promise<void> | void): Promise<NetworkRecord> {
    return this.locked(async () => {
      const net = this.read(id);
      await fn(net);
      this.write(net);
      return net;
    });
  }
}

export function summary(r: NetworkRecord): NetworkSummary {
  return { Id: r.Id, Name: r.Name, Driver: r.Driver, Scope: r.Scope, Internal: r.Internal, EnableIPv6: r.EnableIPv6, Labels: r.Labels, Created: r.Created };
}

interface NewRecord {
  id: string;
  name: string;
  subnet: Cidr;
  gateway: number;
  bridge: string;
  internal: boolean;
  userSubnet: boolean;
  isDefault: boolean;
  labels: Record<string, string>;
  attachable: boolean;
}

function newRecord(n: NewRecord): NetworkRecord {
  const options: Record<string, string> = { 'com.docker.network.bridge.name': n.bridge };
  if (n.isDefault) {
    options['com.docker.network.bridge.default_bridge'] = 'true';
    options['com.docker.network.bridge.enable_ip_masquerade'] = 'true';
  }
  return {
    Name: n.name,
    Id: n.id,
    Created: new Date().toISOString(),
    Scope: 'local',
    Driver: 'bridge',
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: {}, Config: [{ Subnet: formatCidr(n.subnet), Gateway: formatIp(n.gateway) }] },
    Internal: n.internal,
    Attachable: n.attachable,
    Options: options,
    Labels: n.labels,
    UserSubnet: n.userSubnet,
    Default: n.isDefault,
    BridgeName: n.bridge,
    Endpoints: {},
    Dns: null,
  };
}
