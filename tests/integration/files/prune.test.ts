// `minidock container prune`: stopped containers go (created, exited), running ones stay,
// filters by label and age, docker's prompt and report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRoot } from '../../helpers/cli.js';
import { busyboxRoot, errors, isRoot, output } from './helpers.js';

let root: TestRoot;

beforeAll(async () => {
  root = await busyboxRoot('prune');
});
afterAll(async () => {
  await root?.cleanup();
});

const id = async (name: string) => output(await root.ok(['inspect', '-f', '{{.Id}}', name])).trim();
const names = async () => output(await root.ok(['ps', '-a', '--format', '{{.Names}}'])).split('\n').filter(Boolean).sort();

describe.runIf(isRoot)('container prune', () => {
  it('asks first, and does nothing unless told yes', async () => {
    await root.ok(['create', '--name', 'asked', 'busybox']);
    const r = await root.run(['container', 'prune'], { input: 'n\n' });
    expect(r.exitCode).toBe(0);
    expect(output(r)).toContain('WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ');
    expect(await names()).toContain('asked');
    const yes = await root.ok(['container', 'prune'], { input: 'y\n' });
    expect(output(yes)).toContain(`Deleted Containers:\n${''}`);
    expect(await names()).not.toContain('asked');
  });

  it('removes stopped containers matching the filters, keeps running ones, reports the space', async () => {
    await root.ok(['run', '--name', 'big', 'busybox', 'sh', '-c', 'head -c 2000000 /dev/zero > /blob']);
    await root.ok(['create', '--name', 'created', 'busybox']);
    await root.ok(['run', '--name', 'keep', '-l', 'keep=yes', 'busybox', 'true']);
    await root.ok(['run', '-d', '--name', 'up', 'busybox', 'sleep', '1000']);
    const bigId = await id('big');
    const createdId = await id('created');

    const none = await root.ok(['container', 'prune', '-f', '--filter', 'until=2000-01-01T00:00:00Z']);
    expect(output(none)).toBe('Total reclaimed space: 0B\n');

    const r = await root.ok(['container', 'prune', '-f', '--filter', 'label!=keep']);
    const lines = output(r).split('\n');
    expect(lines[0]).toBe('Deleted Containers:');
    expect(lines.slice(1, 3).sort()).toEqual([bigId, createdId].sort());
    expect(lines.slice(3)).toEqual(['', 'Total reclaimed space: 2MB', '']);
    expect(await names()).toEqual(['keep', 'up']);

    await root.ok(['container', 'prune', '--force', '--filter', 'label=keep=yes']);
    expect(await names()).toEqual(['up']);
  });

  it('rejects filters docker does not accept', async () => {
    const r = await root.run(['container', 'prune', '-f', '--filter', 'status=exited']);
    expect(r.exitCode).not.toBe(0);
    expect(errors(r)).toContain("invalid filter 'status'");
  });
});
