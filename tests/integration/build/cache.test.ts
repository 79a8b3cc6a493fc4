// The build cache: an unchanged rebuild hits the cache at every step; changing a file rebuilds
// from the first step that reads it; --no-cache rebuilds all; and builds are reproducible.
import { writeFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot } from '../../helpers/cli.js';
import { BuildRoot, stepResults } from './helpers.js';

const DOCKERFILE = `FROM busybox
ARG GREETING=hello
ENV APP=/app
WORKDIR /app
RUN echo "$GREETING" > greeting
COPY config.txt .
RUN cat config.txt greeting > combined
COPY src/ ./src/
RUN ls src > listing
CMD ["cat", "/app/combined"]
`;

const STEPS = [
  '[1/7] FROM docker.io/library/busybox:latest',
  '[2/7] WORKDIR /app',
  '[3/7] RUN echo "hello" > greeting',
  '[4/7] COPY config.txt .',
  '[5/7] RUN cat config.txt greeting > combined',
  '[6/7] COPY src/ ./src/',
  '[7/7] RUN ls src > listing',
];

describe.skipIf(!isRoot)('build cache', () => {
  let root: BuildRoot;
  let ctx: string;
  beforeEach(async () => {
    root = new BuildRoot('build-cache');
    await root.importBusybox();
    ctx = root.context({ Dockerfile: DOCKERFILE, 'config.txt': 'v1\n', 'src/a.c': 'a', 'src/b.c': 'b' });
  });
  afterEach(() => root.cleanup());

  const statuses = (stderr: unknown) => stepResults(String(stderr)).map((s) => s.split(': ').pop());

  it('an unchanged rebuild is CACHED at every step and gives the same image', async () => {
    const first = await root.build(ctx, ['-t', 'app']);
    expect(first.exitCode, String(first.stderr)).toBe(0);
    expect(stepResults(String(first.stderr))).toEqual([`${STEPS[0]}: CACHED`, ...STEPS.slice(1).map((s) => `${s}: DONE`)]);
    const id1 = (await root.inspect('app')).Id;
    const second = await root.build(ctx, ['-t', 'app']);
    expect(second.exitCode).toBe(0);
    expect(stepResults(String(second.stderr))).toEqual(STEPS.map((s) => `${s}: CACHED`));
    expect((await root.inspect('app')).Id).toBe(id1);
    expect(await root.sh('app', 'cat /app/combined')).toBe('v1\nhello\n');
  });

  it('changing one file rebuilds from the first step that reads it (and all after); touching it does not', async () => {
    await root.buildId(ctx);
    utimesSync(join(ctx, 'config.txt'), new Date(), new Date(2030, 0, 1));
    const touched = await root.build(ctx);
    expect(statuses(touched.stderr)).toEqual(Array(7).fill('CACHED'));
    writeFileSync(join(ctx, 'src/b.c'), 'b2');
    const r = await root.build(ctx);
    expect(statuses(r.stderr)).toEqual(['CACHED', 'CACHED', 'CACHED', 'CACHED', 'CACHED', 'DONE', 'DONE']);
    writeFileSync(join(ctx, 'config.txt'), 'v2\n');
    const r2 = await root.build(ctx, ['-t', 'app2']);
    expect(statuses(r2.stderr)).toEqual(['CACHED', 'CACHED', 'CACHED', 'DONE', 'DONE', 'DONE', 'DONE']);
    expect(await root.sh('app2', 'cat /app/combined')).toBe('v2\nhello\n');
  });

  it('a --build-arg rebuilds from its ARG on (its value is in the image history, as BuildKit records it)', async () => {
    await root.buildId(ctx);
    const same = await root.build(ctx, ['--build-arg', 'GREETING=hello']);
    expect(statuses(same.stderr)).toEqual(Array(7).fill('CACHED'));
    const r = await root.build(ctx, ['--build-arg', 'GREETING=bye', '-t', 'bye']);
    expect(statuses(r.stderr)).toEqual(['CACHED', ...Array(6).fill('DONE')]);
    expect(await root.sh('bye', 'cat /app/greeting')).toBe('bye\n');
  });

  it('--no-cache runs every step again, and two such builds give the same digest', async () => {
    const a = await root.buildId(ctx, ['--no-cache']);
    const r = await root.build(ctx, ['--no-cache', '-t', 'again']);
    expect(statuses(r.stderr)).toEqual(['CACHED', ...Array(6).fill('DONE')]); // FROM is a local image
    const b = (await root.inspect('again')).Id;
    expect(b).toBe(a);
  });

  it('is reproducible across roots with SOURCE_DATE_EPOCH, which sets every created time', async () => {
    const other = new BuildRoot('build-cache-b');
    try {
      // The same base image in both roots (an import would stamp its own created time).
      const saved = join(root.dir, 'busybox.tar');
      await root.ok(['save', '-o', saved, 'busybox']);
      await other.ok(['load', '-i', saved]);
      const env = { SOURCE_DATE_EPOCH: '1700000000' };
      const a = await root.buildId(ctx, [], { env });
      const b = await other.buildId(ctx, [], { env });
      expect(b).toBe(a);
      const img = await root.inspect(a);
      expect(img.Created).toBe('2023-11-14T22:13:20Z');
      const history = JSON.parse(String((await root.ok(['history', '--format', '{{json .}}', '--no-trunc', a])).stdout).split('\n')[0]);
      expect(history.CreatedAt).toMatch(/^2023-11-14T22:13:20/);
      const mtime = await root.sh(a, 'stat -c %Y /app/combined /app/greeting /app/src/a.c /app');
      expect(mtime).toBe('1700000000\n1700000000\n1700000000\n1700000000\n');
    } finally {
      await other.cleanup();
    }
  });
});
