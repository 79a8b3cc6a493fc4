// `minidock diff` on real containers: what a user sees after adding, changing and deleting
// files, an `rm -rf` + `mkdir` (an opaque directory), and never the engine's own mount
// points (/etc/hosts, /etc/hostname, /etc/resolv.conf, /proc, /sys, /dev).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRoot } from '../../helpers/cli.js';
import { busyboxRoot, errors, isRoot, output, waitForFile } from './helpers.js';

let root: TestRoot;

const SCRIPT = [
  'echo hi > /tmp/new',
  'rm /etc/group',
  'echo more >> /etc/passwd',
  'mkdir -p /var/www/sub && echo x > /var/www/sub/f',
  'rm -rf /home && mkdir /home && touch /home/new',
  'mkdir /opt2 && ln -s /nowhere /opt2/l',
  'echo 10.9.9.9 extra >> /etc/hosts', // a bind mount: the host file changes, not the layer
  'touch /ready',
].join('; ');

const EXPECTED = [
  'C /etc',
  'D /etc/group',
  'C /etc/passwd',
  'C /home',
  'D /home/app',
  'A /home/new',
  'A /opt2',
  'A /opt2/l',
  'A /ready',
  'C /tmp',
  'A /tmp/new',
  'C /var',
  'C /var/www',
  'A /var/www/sub',
  'A /var/www/sub/f',
];

beforeAll(async () => {
  root = await busyboxRoot('diff');
});
afterAll(async () => {
  await root?.cleanup();
});

describe.runIf(isRoot)('diff', () => {
  it('lists a stopped container\'s changes in docker\'s order, without the engine\'s mount points', async () => {
    await root.ok(['run', '--name', 'd1', 'busybox', 'sh', '-c', SCRIPT]);
    expect(output(await root.ok(['diff', 'd1'])).split('\n').filter(Boolean)).toEqual(EXPECTED);
    expect(output(await root.ok(['container', 'diff', 'd1']))).toBe(`${EXPECTED.join('\n')}\n`);
  });

  it('reads a running container\'s changes as they are', async () => {
    await root.ok(['run', '-d', '--name', 'd2', 'busybox', 'sh', '-c', `${SCRIPT}; exec sleep 1000`]);
    await waitForFile(root, 'd2', '/ready');
    expect(output(await root.ok(['diff', 'd2'])).split('\n').filter(Boolean)).toEqual(EXPECTED);
    await root.ok(['exec', 'd2', 'rm', '/tmp/new']);
    expect(output(await root.ok(['diff', 'd2']))).not.toContain('/tmp/new');
  });

  it('is empty for a container that changed nothing, and fails for an unknown one', async () => {
    await root.ok(['create', '--name', 'fresh', 'busybox']);
    expect(output(await root.ok(['diff', 'fresh']))).toBe('');
    await root.ok(['run', '--name', 'idle', 'busybox', 'true']);
    expect(output(await root.ok(['diff', 'idle']))).toBe('');
    const r = await root.run(['diff', 'nope']);
    expect([r.exitCode, errors(r)]).toEqual([1, 'Error response from daemon: No such container: nope']);
  });
});
