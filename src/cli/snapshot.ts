// The entry of the V8 startup snapshot (dist/minidock.blob, built by scripts/build.mjs with
// `node --build-snapshot`): every command module is loaded and initialised here, once, at
// build time, so a command starts from a heap where all of it is compiled and ready — about
// 15-25 ms less per command than loading the ESM bundle (`images`: 46 vs 61 ms). bin/minidock runs
// `node --snapshot-blob dist/minidock.blob -- ARGS…` when the blob is there and was built by
// this node binary, and dist/main.js otherwise.
import v8 from 'node:v8';
import { main } from './main.js';
import { ROUTES } from './routes.js';

v8.startupSnapshot.setDeserializeMainFunction(async () => {
  // No script path in argv when running from a snapshot: [node, ...args].
  process.exitCode = await main(process.argv.slice(1));
});

void Promise.all(Object.values(ROUTES).map((r) => r.load()));
