// Run by ipam.test.ts in child processes (bundled with esbuild): reserve addresses for
// `count` new containers on one network of the root given, print them as JSON.
import { randomBytes } from 'node:crypto';
import { createEngine } from '../../../src/engine.js';
import { RecordingHost } from '../../../src/host/script.js';
import { reserveEndpoints } from '../../../src/runtime/network/endpoints.js';
import { NetworkStore } from '../../../src/runtime/network/store.js';

const [root, netId, count] = process.argv.slice(2);
const store = new NetworkStore(createEngine({ host: new RecordingHost(), root }));
const ids: string[] = [];
for (let i = 0; i < Number(count); i++) {
  const id = randomBytes(32).toString('hex');
  await reserveEndpoints(store, id, `c-${id.slice(0, 6)}`, [{ networkId: netId }]);
  ids.push(id);
}
const net = store.read(netId);
process.stdout.write(JSON.stringify(ids.map((id) => net.Endpoints[id].IPv4Address)));
