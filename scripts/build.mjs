// Bundles src/ into dist/ with esbuild (one chunk per command, loaded lazily) and compiles
// the C shim. Bundling matters: loading zod or commander as hundreds of ESM files costs
// tens of milliseconds on every command; bundled and tree-shaken it is a few.
//
// The new build is made in a temp dir and moved in file by file (chunks first, entry and shim
// last, each by rename), so a minidock that is running meanwhile — a container's exit hook,
// say — never finds dist/ half-written. Chunk names carry a content hash; old ones are kept
// for a while for processes that still load them lazily.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
mkdirSync(join(dist, 'chunks'), { recursive: true });
const out = mkdtempSync(join(root, '.dist-'));

try {
  await build({
    absWorkingDir: root,
    entryPoints: { main: 'src/cli/entry.ts' },
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
    define: { MINIDOCK_VERSION: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
    // commander and tar-stream are CommonJS: give the ESM bundle a real `require`.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });

  // The shim is C on purpose: it stays resident beside every detached container (log
  // writer, exit-status keeper), so it must cost about a megabyte, not a Node process.
  try {
    execFileSync('cc', ['-O2', '-static', '-Wall', '-Wextra', '-o', join(out, 'minidock-shim'), join(root, 'shim', 'shim.c')], { stdio: 'inherit' });
  } catch (err) {
    if (err.code === 'ENOENT') {
      console.error('build: no C compiler (cc); install gcc and libc6-dev to build the container shim');
      process.exit(1);
    }
    throw err;
  }

  // The startup snapshot: one CommonJS bundle of everything, run once by `node
  // --build-snapshot` (see src/cli/snapshot.ts). Optional: without it bin/minidock runs main.js.
  await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/snapshot.ts'],
    outfile: join(out, 'snapshot.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    define: { MINIDOCK_VERSION: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
  });
  try {
    execFileSync(process.execPath, ['--snapshot-blob', join(out, 'minidock.blob'), '--build-snapshot', join(out, 'snapshot.cjs')], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    console.error(`build: no startup snapshot (minidock still works, ~40 ms slower per command): ${String(err.stderr ?? err.message).trim().split('\n').pop()}`);
    rmSync(join(out, 'minidock.blob'), { force: true });
  }

  for (const f of readdirSync(join(out, 'chunks'))) renameSync(join(out, 'chunks', f), join(dist, 'chunks', f));
  for (const f of readdirSync(out)) if (f !== 'chunks') renameSync(join(out, f), join(dist, f));
  const stale = Date.now() - 60 * 60 * 1000;
  for (const f of readdirSync(join(dist, 'chunks'))) {
    const p = join(dist, 'chunks', f);
    if (statSync(p).mtimeMs < stale) rmSync(p, { force: true });
  }
} finally {
  if (existsSync(out)) rmSync(out, { recursive: true, force: true });
}
