// Bundles src/ into dist/ with esbuild (one chunk per command, loaded lazily) and compiles
// the C shim. Bundling matters: loading zod or commander as hundreds of ESM files costs
// tens of milliseconds on every command; bundled and tree-shaken it is a few.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/entry.ts' },
  outdir: 'dist',
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
const shimSrc = join(root, 'shim', 'shim.c');
if (existsSync(shimSrc)) try {
  execFileSync('cc', ['-O2', '-static', '-Wall', '-Wextra', '-o', join(dist, 'minidock-shim'), shimSrc], { stdio: 'inherit' });
} catch (err) {
  if (err.code === 'ENOENT') {
    console.error('build: no C compiler (cc); install gcc and libc6-dev to build the container shim');
    process.exit(1);
  }
  throw err;
}
