// `minidock commit`: the container's changes as a new layer, its config merged with the
// image's and edited by --change, a history entry as docker writes it, deletions that
// survive, and a running container paused only for the read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRoot } from '../../helpers/cli.js';
import { busyboxRoot, errors, isRoot, output, waitForFile } from './helpers.js';

let root: TestRoot;
let busyboxId: string;

beforeAll(async () => {
  root = await busyboxRoot('commit');
  busyboxId = output(await root.ok(['image', 'inspect', '-f', '{{.Id}}', 'busybox'])).trim();
});
afterAll(async () => {
  await root?.cleanup();
});

const inspect = async (ref: string, format: string) => output(await root.ok(['image', 'inspect', '-f', format, ref])).trim();

describe.runIf(isRoot)('commit', () => {
  it('makes an image with the changes, docker\'s history entry and the --change edits', async () => {
    await root.ok(['run', '--name', 'cm', 'busybox', 'sh', '-c', 'echo hello > /hello.txt; rm /etc/group; rm -rf /home && mkdir /home']);
    const r = await root.ok(['commit', '-a', 'Jane <jane@example.com>', '-m', 'add hello', '-c', 'ENV FOO=bar', '-c', 'CMD ["cat", "/hello.txt"]', 'cm', 'committed:v1']);
    expect(output(r)).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    const id = output(r).trim();
    expect(await inspect('committed:v1', '{{.Id}}|{{.Author}}|{{.Parent}}|{{len .RootFS.Layers}}')).toBe(`${id}|Jane <jane@example.com>|${busyboxId}|2`);
    expect(await inspect('committed:v1', '{{json .Config.Env}}|{{json .Config.Cmd}}')).toBe('["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","FOO=bar"]|["cat","/hello.txt"]');
    const history = output(await root.ok(['history', '--no-trunc', '--format', '{{.ID}}|{{.CreatedBy}}|{{.Comment}}', 'committed:v1'])).split('\n').filter(Boolean);
    expect(history).toEqual([`${id}|sh -c echo hello > /hello.txt; rm /etc/group; rm -rf /home && mkdir /home|add hello`, `${busyboxId}||Imported from -`]);
    // The new image runs, shows the file, and the deletions survived (whiteout, opaque dir).
    expect(output(await root.ok(['run', '--rm', 'committed:v1']))).toBe('hello\n');
    const check = await root.ok(['run', '--rm', 'committed:v1', 'sh', '-c', 'test -e /etc/group && echo present || echo absent; ls -A /home; echo $FOO']);
    expect(output(check)).toBe('absent\nbar\n');
  });

  it('keeps the container\'s run options: env, workdir, user, labels, ports', async () => {
    await root.ok(['create', '--name', 'opts', '-e', 'X=1', '-w', '/tmp', '-u', 'app', '-l', 'team=files', '--expose', '8080', 'busybox', 'sh', '-c', 'echo $X; pwd; id -u']);
    await root.ok(['commit', 'opts', 'opts:v1']);
    expect(await inspect('opts:v1', '{{.Config.User}}|{{.Config.WorkingDir}}|{{json .Config.Labels}}|{{json .Config.ExposedPorts}}')).toBe('app|/tmp|{"team":"files"}|{"8080/tcp":{}}');
    expect(output(await root.ok(['run', '--rm', 'opts:v1']))).toBe('1\n/tmp\n1000\n');
  });

  it('adds no layer for a container without changes', async () => {
    await root.ok(['create', '--name', 'nochange', 'busybox']);
    await root.ok(['commit', 'nochange', 'same:v1']);
    expect(await inspect('same:v1', '{{len .RootFS.Layers}}')).toBe('1');
    const rows = output(await root.ok(['history', '--format', '{{.Size}}', 'same:v1'])).split('\n').filter(Boolean);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toBe('0B');
  });

  it('pauses a running container only while it reads it, or not at all with -p=false', async () => {
    await root.ok(['run', '-d', '--name', 'live', 'busybox', 'sh', '-c', 'echo x > /x; exec sleep 1000']);
    await waitForFile(root, 'live', '/x');
    await root.ok(['commit', 'live', 'live:v1']);
    expect(output(await root.ok(['inspect', '-f', '{{.State.Status}}', 'live'])).trim()).toBe('running');
    expect(output(await root.ok(['run', '--rm', 'live:v1', 'cat', '/x']))).toBe('x\n');
    const dangling = output(await root.ok(['commit', '-p=false', 'live'])).trim();
    expect(dangling).toMatch(/^sha256:/);
    expect(output(await root.ok(['commit', '--pause=false', 'live', 'live:v2']))).toMatch(/^sha256:/);
  });

  it('fails for an unknown container or a bad --change', async () => {
    const r = await root.run(['commit', 'nope']);
    expect([r.exitCode, errors(r)]).toEqual([1, 'Error response from daemon: No such container: nope']);
    const bad = await root.run(['commit', '-c', 'RUN echo', 'cm']);
    expect(bad.exitCode).not.toBe(0);
    expect(errors(bad)).toContain('run is not a valid change command');
  });
});
