// save (-o FILE and stdout) → rmi → load (-i and stdin) gives back the same image ID; a
// tampered blob is caught by every path that reads it; a file that is not an image archive
// is refused with the store unchanged.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { busyboxTarball, isRoot, TestRoot } from '../../helpers/cli.js';
import { okFiles, rootProblems, runFiles } from './helpers.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.skipIf(!isRoot)('save and load', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'minidock-image-save-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  let root: TestRoot;
  let id: string;
  beforeEach(async () => {
    root = new TestRoot('image-save');
    id = String((await root.ok(['import', '--change', 'CMD ["sh"]', busyboxTarball(), 'busybox'])).stdout).trim();
    await root.ok(['tag', 'busybox', 'localhost:5000/team/bb:2']);
  });
  afterEach(async () => {
    await root?.cleanup();
  });

  const blobDir = () => join(root.dir, 'blobs', 'sha256');

  it('save -o, rmi, load -i: the same image ID and names', async () => {
    const file = join(scratch, 'two.tar');
    await root.ok(['save', '-o', file, 'busybox', 'localhost:5000/team/bb:2']);
    expect(readdirSync(scratch).filter((n) => n.includes('.tmp-'))).toEqual([]);
    await root.ok(['rmi', '-f', id]);
    expect(readdirSync(blobDir())).toEqual([]);
    const r = await root.ok(['load', '-i', file]);
    expect(String(r.stdout)).toBe('Loaded image: busybox:latest\nLoaded image: localhost:5000/team/bb:2\n');
    expect(String((await root.ok(['images', '-q', '--no-trunc'])).stdout)).toBe(`${id}\n${id}\n`);
    expect(await rootProblems(root)).toEqual([]);
  });

  it('save to stdout, load from stdin (and gzipped), load -q', async () => {
    const file = join(scratch, 'stdout.tar');
    await okFiles(root, ['save', 'busybox'], { stdoutFile: file });
    // Saving twice gives the same bytes.
    const again = join(scratch, 'again.tar');
    await okFiles(root, ['image', 'save', 'busybox'], { stdoutFile: again });
    expect(sha(readFileSync(file))).toBe(sha(readFileSync(again)));

    const other = new TestRoot('image-load');
    try {
      const r = await okFiles(other, ['load'], { inputFile: file });
      expect(String(r.stdout)).toBe('Loaded image: busybox:latest\n');
      expect(String((await other.ok(['images', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}'])).stdout)).toBe(`${id} busybox:latest\n`);
      const gz = join(scratch, 'stdout.tar.gz');
      writeFileSync(gz, gzipSync(readFileSync(file)));
      await other.ok(['rmi', 'busybox']);
      expect(String((await okFiles(other, ['image', 'load', '-q'], { inputFile: gz })).stdout)).toBe('');
      expect(String((await other.ok(['images', '-q', '--no-trunc'])).stdout)).toBe(`${id}\n`);
      expect(await rootProblems(other)).toEqual([]);
    } finally {
      await other.cleanup();
    }
  });

  it('saved by ID: loads as an untagged image with the same ID', async () => {
    const file = join(scratch, 'byid.tar');
    await root.ok(['save', '-o', file, id.slice(7, 19)]);
    await root.ok(['rmi', '-f', id]);
    expect(String((await root.ok(['load', '-i', file])).stdout)).toBe(`Loaded image ID: ${id}\n`);
    expect(String((await root.ok(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout)).toBe('<none>:<none>\n');
  });

  it('a tampered layer blob: save fails (no output file), the archive and store are not trusted', async () => {
    const layer = String((await root.ok(['image', 'inspect', '-f', '{{index .RootFS.Layers 0}}', 'busybox'])).stdout).trim();
    const path = join(blobDir(), layer.slice(7));
    const bytes = readFileSync(path);
    bytes[bytes.length - 2000] ^= 0x55; // inside the tar's last file or padding
    writeFileSync(path, bytes);
    const file = join(scratch, 'tampered.tar');
    const r = await root.run(['save', '-o', file, 'busybox']);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toMatch(new RegExp(`^Error: blob ${layer} is corrupted: its content hashes to sha256:[a-f0-9]{64}\\n`));
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(scratch).filter((n) => n.startsWith('tampered'))).toEqual([]);
    // To stdout: the stream stops short (the last chunk is held back), so no reader accepts it.
    const out = join(scratch, 'tampered-stdout.tar');
    expect((await runFiles(root, ['save', 'busybox'], { stdoutFile: out })).exitCode).toBe(1);
    const other = new TestRoot('image-load-bad');
    try {
      const l = await other.run(['load', '-i', out]);
      expect(l.exitCode).toBe(1);
      expect(String((await other.ok(['images', '-aq'])).stdout)).toBe('');
    } finally {
      await other.cleanup();
    }
    // rmi cleans it up; a fresh import stores a good copy again.
    await root.ok(['rmi', '-f', id]);
    await root.importBusybox();
    expect(await rootProblems(root)).toEqual([]);
  });

  it('a tampered config or manifest: inspect, history and save report it', async () => {
    const configPath = join(blobDir(), id.slice(7));
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('"sh"', '"xx"'));
    for (const args of [['image', 'inspect', 'busybox'], ['history', 'busybox'], ['save', '-o', join(scratch, 'c.tar'), 'busybox']]) {
      const r = await root.run(args);
      expect(r.exitCode, args.join(' ')).toBe(1);
      expect(String(r.stderr), args.join(' ')).toContain(`blob ${id} is corrupted`);
    }
    // `images` reads only the catalogue: the image is still listed, so the user can rmi it.
    expect(String((await root.ok(['images', '--format', '{{.ID}}', 'busybox'])).stdout)).toBe(`${id.slice(7, 19)}\n`);
    await root.ok(['rmi', '-f', id.slice(7, 19)]);
    expect(readdirSync(blobDir())).toEqual([]);
  });

  it('load of a non-image tarball: a clear error, the store unchanged', async () => {
    const before = JSON.stringify([readdirSync(blobDir()).sort(), readFileSync(join(root.dir, 'index.json'), 'utf8')]);
    const r = await root.run(['load', '-i', busyboxTarball()]);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toBe(
      'Error: not an image archive: it has neither manifest.json (docker save) nor index.json (OCI layout)\nHint: use `minidock import` for a plain filesystem tarball\n',
    );
    const junk = join(scratch, 'junk.bin');
    writeFileSync(junk, Buffer.alloc(4096, 0x41));
    expect((await root.run(['load', '-i', junk])).exitCode).toBe(1);
    const missing = await root.run(['load', '-i', join(scratch, 'does-not-exist.tar')]);
    expect(missing.exitCode).toBe(1);
    expect(String(missing.stderr)).toMatch(/^Error: open \S+does-not-exist.tar: no such file or directory\n/);
    expect(JSON.stringify([readdirSync(blobDir()).sort(), readFileSync(join(root.dir, 'index.json'), 'utf8')])).toBe(before);
    expect(await rootProblems(root)).toEqual([]);
  });

  it('save of an unknown image', async () => {
    const r = await root.run(['save', '-o', join(scratch, 'x.tar'), 'busybox', 'nope']);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toMatch(/No such image: nope:latest/);
    expect(existsSync(join(scratch, 'x.tar'))).toBe(false);
  });
});
