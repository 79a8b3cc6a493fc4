// `import` (file and stdin, plain and gzip, --change, --message) and then `images` with its
// flags and formats, checked as a user reads them: docker's columns, widths and headers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTarball, isRoot, TestRoot } from '../../helpers/cli.js';
import { CREATED_RECENTLY, dockerTable, okFiles, rootProblems } from './helpers.js';

const ID = /^sha256:[a-f0-9]{64}\n$/;

describe.skipIf(!isRoot)('import → images', () => {
  let root: TestRoot;
  let scratch: string;
  let gz: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    root = new TestRoot('image-import');
    scratch = mkdtempSync(join(tmpdir(), 'minidock-image-import-'));
    gz = join(scratch, 'busybox.tar.gz');
    writeFileSync(gz, gzipSync(readFileSync(busyboxTarball())));
    // Imported in a fixed order, a little apart: `images` lists newest first.
    const file = await root.ok(['import', busyboxTarball(), 'busybox']);
    ids.plainFile = String(file.stdout).trim();
    const stdinGz = await okFiles(root, ['import', '-', 'busybox:gz'], { inputFile: gz });
    ids.gzStdin = String(stdinGz.stdout).trim();
    const changed = await root.ok([
      'import',
      '--change', 'ENTRYPOINT ["/bin/sh", "-c"]',
      '-c', 'CMD echo hi',
      '-c', 'ENV A=1 B="two words"',
      '-c', 'WORKDIR /srv',
      '-c', 'USER app',
      '-c', 'EXPOSE 80/tcp 53/udp',
      '-c', 'LABEL tier=front "team name"=core',
      '-c', 'VOLUME ["/data", "/cache"]',
      '--message', 'hello from the test',
      gz,
      'localhost:5000/team/app:v1',
    ]);
    ids.changed = String(changed.stdout).trim();
    const untagged = await okFiles(root, ['import', '-'], { inputFile: busyboxTarball() });
    ids.untagged = String(untagged.stdout).trim();
  });

  afterAll(async () => {
    await root?.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('prints the new image ID, and the same layer is stored once', async () => {
    for (const id of Object.values(ids)) expect(`${id}\n`).toMatch(ID);
    // Four imports, four configs (created differs), one layer (gzip is stored uncompressed).
    expect(new Set(Object.values(ids)).size).toBe(4);
    const layers = await root.ok(['image', 'inspect', '-f', '{{index .RootFS.Layers 0}}', ...Object.values(ids)]);
    expect(new Set(String(layers.stdout).trim().split('\n')).size).toBe(1);
    expect(await rootProblems(root)).toEqual([]);
  });

  it('--change and --message shape the config as docker import does', async () => {
    const r = await root.ok(['image', 'inspect', ids.changed]);
    const [img] = JSON.parse(String(r.stdout));
    expect(img.Config).toMatchObject({
      User: 'app',
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      Env: ['A=1', 'B=two words'],
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: ['/bin/sh', '-c', 'echo hi'],
      WorkingDir: '/srv',
      Labels: { tier: 'front', 'team name': 'core' },
      Volumes: { '/data': {}, '/cache': {} },
    });
    expect(img.Comment).toBe('hello from the test');
    const hist = await root.ok(['history', '--format', '{{.Comment}}|{{.CreatedBy}}', ids.changed]);
    expect(String(hist.stdout)).toBe('hello from the test|\n');
    // Without --message: docker's "Imported from -".
    const plain = await root.ok(['image', 'inspect', '-f', '{{.Comment}} {{json .Config.Cmd}}', 'busybox']);
    expect(String(plain.stdout)).toBe('Imported from - null\n');
  });

  it('images: docker’s default table', async () => {
    const r = await root.ok(['images']);
    const cells = dockerTable(String(r.stdout));
    expect(cells[0]).toEqual(['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE']);
    const short = (id: string) => id.slice(7, 19);
    expect(cells.slice(1).map(([repo, tag, id]) => [repo, tag, id])).toEqual([
      ['<none>', '<none>', short(ids.untagged)],
      ['localhost:5000/team/app', 'v1', short(ids.changed)],
      ['busybox', 'gz', short(ids.gzStdin)],
      ['busybox', 'latest', short(ids.plainFile)],
    ]);
    for (const row of cells.slice(1)) {
      expect(row[3]).toMatch(CREATED_RECENTLY);
      expect(row[4]).toMatch(/^\d+(\.\d+)?MB$/);
    }
  });

  it('-q, --no-trunc, --digests, -a', async () => {
    expect(String((await root.ok(['images', '-q'])).stdout).split('\n').filter(Boolean)).toEqual(
      [ids.untagged, ids.changed, ids.gzStdin, ids.plainFile].map((i) => i.slice(7, 19)),
    );
    const full = dockerTable(String((await root.ok(['images', '--no-trunc'])).stdout));
    expect(full.slice(1).map((r) => r[2])).toEqual([ids.untagged, ids.changed, ids.gzStdin, ids.plainFile]);
    const digests = dockerTable(String((await root.ok(['images', '--digests', 'busybox'])).stdout));
    expect(digests[0]).toEqual(['REPOSITORY', 'TAG', 'DIGEST', 'IMAGE ID', 'CREATED', 'SIZE']);
    expect(digests.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['busybox', 'gz', '<none>'],
      ['busybox', 'latest', '<none>'],
    ]);
    expect(String((await root.ok(['images', '-a', '-q'])).stdout).split('\n').filter(Boolean).length).toBe(4);
  });

  it('--filter reference=busy*, dangling=true, and the REPOSITORY argument', async () => {
    const names = async (...args: string[]) => String((await root.ok(['images', '--format', '{{.Repository}}:{{.Tag}}', ...args])).stdout);
    expect(await names('--filter', 'reference=busy*')).toBe('busybox:gz\nbusybox:latest\n');
    expect(await names('--filter', 'reference=*/team/*')).toBe('localhost:5000/team/app:v1\n');
    expect(await names('-f', 'dangling=true')).toBe('<none>:<none>\n');
    expect(await names('-f', 'dangling=false')).toBe('localhost:5000/team/app:v1\nbusybox:gz\nbusybox:latest\n');
    expect(await names('busybox:latest')).toBe('busybox:latest\n');
    expect(await names('-f', 'label=tier=front')).toBe('localhost:5000/team/app:v1\n');
    expect(await names('nothing')).toBe('');
  });

  it('--format json: one object per line, docker’s keys', async () => {
    const r = await root.ok(['images', '--format', 'json', 'busybox:latest']);
    const lines = String(r.stdout).trim().split('\n');
    expect(lines.length).toBe(1);
    const o = JSON.parse(lines[0]);
    expect(Object.keys(o).sort()).toEqual(['Containers', 'CreatedAt', 'CreatedSince', 'Digest', 'ID', 'Repository', 'SharedSize', 'Size', 'Tag', 'UniqueSize', 'VirtualSize']);
    expect(o).toMatchObject({ Repository: 'busybox', Tag: 'latest', ID: ids.plainFile.slice(7, 19), Digest: '<none>', Containers: 'N/A' });
    // Go's time.Time.String() of whole seconds: no fraction.
    expect(o.CreatedAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} [A-Z]+$/);
    // The row's own JSON is Go's json.Marshal (HTML-escaped); the template's json func is not.
    const dangling = await root.ok(['images', '--format', '{{json .}}|{{json .Tag}}', '-f', 'dangling=true']);
    expect(String(dangling.stdout)).toMatch(/"Tag":"\\u003cnone\\u003e".*\|"<none>"\n$/);
  });

  it('--format "table …": the chosen columns with docker’s headers', async () => {
    const r = await root.ok(['images', '--format', 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.Size}}', 'busybox']);
    const cells = dockerTable(String(r.stdout));
    expect(cells[0]).toEqual(['REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE']);
    expect(cells.slice(1).map((c) => c.slice(0, 2))).toEqual([
      ['busybox', 'gz'],
      ['busybox', 'latest'],
    ]);
  });
});
