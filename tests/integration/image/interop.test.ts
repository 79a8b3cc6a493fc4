// Other tools read what minidock writes and minidock reads what they write: skopeo (oci-archive,
// docker-archive, and the store itself as an OCI layout) and podman (load/save), each skipped
// cleanly when not installed. podman runs against a private temp store (vfs driver) and a
// containers.conf for this host (runtime runc, cgroupfs), never the machine's own storage.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot, TestRoot } from '../../helpers/cli.js';
import { rootProblems } from './helpers.js';

function installed(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const hasSkopeo = installed('skopeo');
const hasPodman = installed('podman') && installed('runc');

async function tool(argv: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await execa(argv[0], argv.slice(1), { reject: false, env, timeout: 60_000 });
  if (r.exitCode !== 0) throw new Error(`${argv.join(' ')} exited ${r.exitCode}\n${r.stderr}`);
  return r.stdout;
}

describe.skipIf(!isRoot || (!hasSkopeo && !hasPodman))('interop', () => {
  let root: TestRoot;
  let scratch: string;
  let id: string;
  let manifestDigest: string;
  let layer: string;
  let saved: string; // minidock save of busybox:latest

  beforeAll(async () => {
    root = new TestRoot('image-interop');
    scratch = mkdtempSync(join(tmpdir(), 'minidock-image-interop-'));
    await root.importBusybox();
    const facts = String((await root.ok(['image', 'inspect', '-f', '{{.Id}} {{.Descriptor.digest}} {{index .RootFS.Layers 0}}', 'busybox'])).stdout).trim().split(' ');
    [id, manifestDigest, layer] = facts;
    saved = join(scratch, 'busybox.tar');
    await root.ok(['save', '-o', saved, 'busybox']);
  });
  afterAll(async () => {
    await root?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Load FILE into a fresh root; returns the load output and the root's images. */
  async function loadFresh(file: string): Promise<{ out: string; images: string }> {
    const other = new TestRoot('image-interop-load');
    try {
      const out = String((await other.ok(['load', '-i', file])).stdout);
      const images = String((await other.ok(['images', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])).stdout);
      expect(await rootProblems(other)).toEqual([]);
      return { out, images };
    } finally {
      await other.cleanup();
    }
  }

  describe.skipIf(!hasSkopeo)('skopeo', () => {
    it('inspects minidock’s save output as an oci-archive and as a docker-archive', async () => {
      const oci = JSON.parse(await tool(['skopeo', 'inspect', `oci-archive:${saved}`]));
      expect(oci.Digest).toBe(manifestDigest);
      expect(oci.Layers).toEqual([layer]);
      const config = await tool(['skopeo', 'inspect', '--config', '--raw', `oci-archive:${saved}`]);
      expect(`sha256:${createHash('sha256').update(config).digest('hex')}`).toBe(id);
      const docker = JSON.parse(await tool(['skopeo', 'inspect', `docker-archive:${saved}`]));
      expect(docker.Layers).toEqual([layer]);
    });

    it('copies minidock’s save output to an OCI layout directory', async () => {
      const dir = join(scratch, 'layout');
      await tool(['skopeo', 'copy', `oci-archive:${saved}`, `oci:${dir}:copied`]);
      const config = await tool(['skopeo', 'inspect', '--config', '--raw', `oci:${dir}:copied`]);
      expect(`sha256:${createHash('sha256').update(config).digest('hex')}`).toBe(id);
    });

    it('reads the store itself as an OCI layout (ref name = the full reference)', async () => {
      const r = JSON.parse(await tool(['skopeo', 'inspect', `oci:${root.dir}:docker.io/library/busybox:latest`]));
      expect(r.Digest).toBe(manifestDigest);
      expect(r.Layers).toEqual([layer]);
    });

    it('minidock loads what skopeo writes: oci-archive (gzip layers) and docker-archive', async () => {
      const ociArchive = join(scratch, 'skopeo-oci.tar');
      await tool(['skopeo', 'copy', `oci:${root.dir}:docker.io/library/busybox:latest`, `oci-archive:${ociArchive}:docker.io/library/viaskopeo:1`]);
      const a = await loadFresh(ociArchive);
      expect(a.out).toBe('Loaded image: viaskopeo:1\n');
      expect(a.images).toBe(`viaskopeo:1 ${id}\n`);

      const dockerArchive = join(scratch, 'skopeo-docker.tar');
      await tool(['skopeo', 'copy', `oci:${root.dir}:docker.io/library/busybox:latest`, `docker-archive:${dockerArchive}:foo/bar:v1`]);
      const b = await loadFresh(dockerArchive);
      expect(b.out).toBe('Loaded image: foo/bar:v1\n');
      expect(b.images).toBe(`foo/bar:v1 ${id}\n`);
    });
  });

  describe.skipIf(!hasPodman)('podman', () => {
    let conf: string;
    let podRoot: string;
    // netavark's run dir is fixed in podman 4.3: remove it afterwards if this test made it.
    const netRunDirs = ['/run/containers/networks', '/run/containers'].filter((d) => !existsSync(d));
    const podman = (args: string[]) =>
      tool(['podman', '--root', join(podRoot, 'root'), '--runroot', join(podRoot, 'run'), '--tmpdir', join(podRoot, 'tmp'), '--storage-driver', 'vfs', ...args], {
        CONTAINERS_CONF: conf,
        TMPDIR: join(podRoot, 'tmp'),
      });

    beforeAll(() => {
      podRoot = mkdtempSync(join(tmpdir(), 'minidock-podman-'));
      mkdirSync(join(podRoot, 'tmp'));
      conf = join(podRoot, 'containers.conf');
      writeFileSync(conf, `[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "none"\n[network]\nnetwork_config_dir = "${podRoot}/net"\n`);
    });
    afterAll(() => {
      rmSync(podRoot, { recursive: true, force: true });
      for (const d of netRunDirs) {
        try {
          rmdirSync(d); // only if empty: never anything podman put there for others
        } catch {
          /* not there, or not empty */
        }
      }
    });

    it('podman load reads minidock’s save output: same name, same image ID', async () => {
      expect(await podman(['load', '-i', saved])).toMatch(/Loaded image: docker\.io\/library\/busybox:latest/);
      expect((await podman(['images', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])).trim()).toBe(`docker.io/library/busybox:latest ${id}`);
    });

    it('minidock loads podman save output (docker-archive and oci-archive)', async () => {
      const dockerArchive = join(scratch, 'podman-docker.tar');
      await podman(['save', '-o', dockerArchive, 'docker.io/library/busybox:latest']);
      const a = await loadFresh(dockerArchive);
      expect(a.out).toBe('Loaded image: busybox:latest\n');
      expect(a.images).toBe(`busybox:latest ${id}\n`);

      const ociArchive = join(scratch, 'podman-oci.tar');
      await podman(['save', '--format', 'oci-archive', '-o', ociArchive, 'docker.io/library/busybox:latest']);
      const b = await loadFresh(ociArchive);
      // podman names it with a full reference in ref.name; it re-encodes the config, so the ID may differ.
      expect(b.out).toBe('Loaded image: busybox:latest\n');
      expect(b.images).toMatch(/^busybox:latest sha256:[a-f0-9]{64}\n$/);
    });
  });
});
