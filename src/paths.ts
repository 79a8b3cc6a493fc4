// Every path under the engine's root, derived in one place from `--root` / MINIDOCK_ROOT.
// The root is a valid OCI image layout (oci-layout, index.json, blobs/) plus the engine's
// own directories beside it.
import { join } from 'node:path';

export const DEFAULT_ROOT = '/var/lib/minidock';

export interface Paths {
  readonly root: string;
  readonly ociLayout: string;
  readonly index: string;
  readonly blobsDir: string;
  /** Blobs being written; moved into blobs/ when their image is committed, so GC never sees half an import. */
  readonly ingestDir: string;
  readonly snapshotsDir: string;
  readonly containersDir: string;
  readonly volumesDir: string;
  readonly networksDir: string;
  readonly locksDir: string;
  readonly tmpDir: string;
  blob(digest: string): string;
  snapshot(chainId: string): string;
  container(id: string): string;
  volume(name: string): string;
  lock(name: string): string;
}

export function resolveRoot(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.MINIDOCK_ROOT ?? DEFAULT_ROOT;
}

/** `sha256:abc…` → `abc…`; throws on anything that is not a sha256 digest. */
export function digestHex(digest: string): string {
  const m = /^sha256:([a-f0-9]{64})$/.exec(digest);
  if (!m) throw new Error(`not a sha256 digest: ${JSON.stringify(digest)}`);
  return m[1];
}

export function pathsFor(root: string): Paths {
  const blobsDir = join(root, 'blobs', 'sha256');
  const snapshotsDir = join(root, 'snapshots');
  const containersDir = join(root, 'containers');
  const volumesDir = join(root, 'volumes');
  const locksDir = join(root, 'locks');
  return {
    root,
    ociLayout: join(root, 'oci-layout'),
    index: join(root, 'index.json'),
    blobsDir,
    ingestDir: join(root, 'ingest'),
    snapshotsDir,
    containersDir,
    volumesDir,
    networksDir: join(root, 'networks'),
    locksDir,
    tmpDir: join(root, 'tmp'),
    blob: (digest) => join(blobsDir, digestHex(digest)),
    snapshot: (chainId) => join(snapshotsDir, digestHex(chainId)),
    container: (id) => join(containersDir, id),
    volume: (name) => join(volumesDir, name),
    lock: (name) => join(locksDir, `${name}.lock`),
  };
}
