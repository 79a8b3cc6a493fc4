// The exact host commands of an attach and a detach (recording host): what `run --dry-run` prints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../../../src/engine.js';
import { RecordingHost } from '../../../src/host/script.js';
import type { Container } from '../../../src/runtime/model.js';
import { attachNetworks, detachNetworks, NetworkStore, publishedPorts } from '../../../src/runtime/network/index.js';
import { instanceOf } from '../../../src/runtime/network/names.js';

const ID = 'c0ffee'.padEnd(64, '0');
let root: string;
let host: RecordingHost;
let engine: Engine;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'minidock-netrec-'));
  host = new RecordingHost();
  engine = createEngine({ host, root });
  mkdirSync(engine.paths.container(ID), { recursive: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function container(network: string, ports: Container['HostConfig']['PortBindings'] = {}): Container {
  return {
    Id: ID, Name: 'web', Created: '', Image: '', ImageName: '', Layers: [],
    Config: { Hostname: 'web', User: '', Tty: false, OpenStdin: false, Env: [], Cmd: null, Entrypoint: null, WorkingDir: '', Labels: {}, ExposedPorts: null, Image: '' },
    HostConfig: {
      AutoRemove: false, Privileged: false, ReadonlyRootfs: false, Init: false, CapAdd: [], CapDrop: [], SecurityOpt: [], NoNewPrivileges: false, Tmpfs: {},
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, Memory: 0, MemorySwap: 0, NanoCpus: 0, CpuShares: 0, PidsLimit: null, CgroupParent: '',
      NetworkMode: network, GroupAdd: [], ExtraHosts: [], Dns: [], PortBindings: ports, PublishAllPorts: false, Binds: [],
    },
    Mounts: [], Path: 'sh', Args: [],
  };
}

/** The script with the temporary root, instance tag and random ids replaced by stable names. */
function normalized(netIds: string[]): string {
  let s = host.script();
  s = s.split(root).join('<root>').split(instanceOf(root)).join('<inst>');
  for (const [i, id] of netIds.entries()) s = s.split(id).join(`<net${i}>`).split(id.slice(0, 12)).join(`<net${i}:12>`).split(id.slice(0, 10)).join(`<net${i}:10>`).split(id.slice(0, 4)).join(`<net${i}:4>`);
  return s.replace(/02(:[0-9a-f]{2}){5} type bridge/g, '<mac> type bridge').replace(/--server=\S+/g, '--server=<host resolver>');
}

describe('attach and detach, as commands', () => {
  it('default bridge with a published port', async () => {
    const c = container('default', { '80/tcp': [{ HostIp: '', HostPort: '18080' }] });
    host.calls.length = 0;
    const r = await attachNetworks(engine, c);
    expect(r.network).toEqual({ kind: 'path', path: `/run/netns/minidock-${instanceOf(root)}-c0ffee000000` });
    expect(r.addresses.map((a) => [a.ifName, a.ip, a.gateway, a.mac])).toEqual([['eth0', '172.17.0.2', '172.17.0.1', '02:42:ac:11:00:02']]);
    expect(publishedPorts(engine, c)).toEqual([{ containerPort: 80, proto: 'tcp', hostIp: '0.0.0.0', hostPort: 18080 }]);
    await detachNetworks(engine, c, { release: true });
    expect(publishedPorts(engine, c)).toEqual([]);
    const def = new NetworkStore(engine).get('bridge').Id;
    await expect(normalized([def])).toMatchFileSnapshot('golden/attach-default-bridge.sh');
  });

  it('a user network: DNS, no ports', async () => {
    const store = new NetworkStore(engine);
    const net = await store.create({ name: 'app', subnet: '10.88.0.0/24' });
    host.calls.length = 0;
    const r = await attachNetworks(engine, container('app'), { aliases: ['www'] });
    expect(r.resolvConf).toMatchObject({ nameservers: ['10.88.0.1'], options: ['ndots:0'] });
    await detachNetworks(engine, container('app'), { release: true });
    await expect(normalized([net.Id, store.get('bridge').Id])).toMatchFileSnapshot('golden/attach-user-network.sh');
  });

  it('none, host, container:', async () => {
    expect((await attachNetworks(engine, container('none'))).network).toEqual({ kind: 'new' });
    expect((await attachNetworks(engine, container('host'))).network).toEqual({ kind: 'host' });
    await expect(attachNetworks(engine, container('container:nosuch'))).rejects.toThrow('No such container: nosuch');
  });
});
