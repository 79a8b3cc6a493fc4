// `minidock build` flags as a docker user types them: -q, --iidfile, several -t, --label,
// contexts from stdin (a gzipped tar, or just a Dockerfile), -f outside the context and -f -,
// `images` / `images -a`, and `--check` with its exit codes and JSON.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot } from '../../helpers/cli.js';
import { BuildRoot } from './helpers.js';

describe.skipIf(!isRoot)('build CLI', () => {
  let root: BuildRoot;
  let scratch: string;
  beforeEach(async () => {
    root = new BuildRoot('build-cli');
    scratch = mkdtempSync(join(tmpdir(), 'minidock-build-cli-'));
    await root.importBusybox();
  });
  afterEach(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await root.cleanup();
  });

  it('-q prints only the ID; --iidfile, several -t and --label', async () => {
    const ctx = root.context({ Dockerfile: 'FROM busybox\nLABEL from=dockerfile\nRUN echo hi\n' });
    const iid = join(scratch, 'iid');
    const r = await root.run(['build', '-q', '-t', 'one', '-t', 'two:v2', '--label', 'extra=yes', '--label', 'from=cli', '--iidfile', iid, ctx]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stdout)).toMatch(/^sha256:[a-f0-9]{64}\n$/);
    expect(String(r.stderr)).toBe('');
    const id = String(r.stdout).trim();
    expect(readFileSync(iid, 'utf8')).toBe(id);
    const img = await root.inspect('two:v2');
    expect(img.Id).toBe(id);
    expect(img.RepoTags.sort()).toEqual(['one:latest', 'two:v2']);
    expect(img.Config.Labels).toEqual({ from: 'cli', extra: 'yes' });
    const images = String((await root.ok(['images', '--format', '{{.Repository}}:{{.Tag}}'])).stdout).split('\n').filter(Boolean).sort();
    expect(images).toEqual(['busybox:latest', 'one:latest', 'two:v2']);
    const all = String((await root.ok(['images', '-a', '-q'])).stdout).split('\n').filter(Boolean);
    expect(all.length).toBeGreaterThan(3); // the intermediate step images (the cache)
    const again = await root.run(['build', '-q', '-t', 'one', ctx]);
    expect(String(again.stdout).trim()).not.toBe(id); // without the labels: the step image before them
  });

  it('reads a gzipped tar context, or a lone Dockerfile, from stdin', async () => {
    const ctx = root.context({ 'sub/Dockerfile.alt': 'FROM busybox\nCOPY data.txt /data.txt\n', 'data.txt': 'from tar\n' });
    const tarball = join(scratch, 'ctx.tar.gz');
    execFileSync('tar', ['-czf', tarball, '-C', ctx, '.']);
    const r = await root.runWithStdinFile(['build', '-q', '-f', 'sub/Dockerfile.alt', '-'], tarball);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(await root.sh(String(r.stdout).trim(), 'cat /data.txt')).toBe('from tar\n');

    const df = join(scratch, 'Dockerfile');
    writeFileSync(df, 'FROM busybox\nRUN echo no context > /nc\n');
    const r2 = await root.runWithStdinFile(['build', '-q', '-'], df);
    expect(r2.exitCode, String(r2.stderr)).toBe(0);
    expect(await root.sh(String(r2.stdout).trim(), 'cat /nc')).toBe('no context\n');
  });

  it('takes -f outside the context and -f - from stdin', async () => {
    const ctx = root.context({ 'file.txt': 'ctx file\n' });
    const df = join(scratch, 'elsewhere.Dockerfile');
    writeFileSync(df, 'FROM busybox\nCOPY file.txt /f\n');
    const id = await root.buildId(ctx, ['-f', df]);
    expect(await root.sh(id, 'cat /f')).toBe('ctx file\n');
    const r = await root.runWithStdinFile(['build', '-q', '-f', '-', ctx], df);
    expect(String(r.stdout).trim()).toBe(id);
    const missing = await root.build(ctx);
    expect(missing.exitCode).toBe(1);
    expect(String(missing.stderr)).toContain('failed to read dockerfile: open Dockerfile: no such file or directory');
  });

  it('rejects bad flags as docker does', async () => {
    const ctx = root.context({ Dockerfile: 'FROM busybox\n' });
    const tag = await root.run(['build', '-t', 'Bad:Tag', ctx]);
    expect(tag.exitCode).toBe(125);
    expect(String(tag.stderr)).toContain('invalid argument "Bad:Tag" for "-t, --tag" flag');
    const progress = await root.run(['build', '--progress', 'fancy', ctx]);
    expect(progress.exitCode).toBe(125);
    const target = await root.run(['build', '--target', 'nope', ctx]);
    expect(target.exitCode).toBe(1);
    expect(String(target.stderr)).toContain('target stage "nope" could not be found');
  });

  it('--check lints without building: exit 1 and BuildKit text or JSON on findings', async () => {
    const ctx = root.context({ Dockerfile: 'FROM busybox as base\nENV PATH=$MISSING:$PATH\nCMD echo hi\n' });
    const before = String((await root.ok(['images', '-a', '-q'])).stdout);
    const r = await root.run(['build', '--check', ctx]);
    expect(r.exitCode).toBe(1);
    expect(String(r.stdout)).toMatch(/^Check complete, 3 warnings have been found!\n/);
    expect(String(r.stdout)).toContain('WARNING: UndefinedVar - https://docs.docker.com/go/dockerfile/rule/undefined-var/\nUsage of undefined variable \'$MISSING\'');
    const json = await root.run(['build', '--call', 'check,format=json', ctx]);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(String(json.stdout)).warnings.map((w: { ruleName: string }) => w.ruleName).sort()).toEqual(['FromAsCasing', 'JSONArgsRecommended', 'UndefinedVar']);
    expect(String((await root.ok(['images', '-a', '-q'])).stdout)).toBe(before); // nothing was built
    const clean = root.context({ Dockerfile: 'FROM busybox\nCMD ["sh"]\n' });
    const ok = await root.run(['build', '--check', '--format', 'json', clean]);
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(String(ok.stdout)).warnings).toEqual([]);
  });
});
