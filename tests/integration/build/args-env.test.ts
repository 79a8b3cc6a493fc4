// ARG and ENV: defaults, --build-arg, precedence (an ENV hides an earlier ARG of the same name;
// a later ARG wins over an ENV for RUN but not in the image), global ARGs in FROM, proxy args
// that reach RUN but not the image, and docker's warning for build args nobody declared.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot } from '../../helpers/cli.js';
import { BuildRoot } from './helpers.js';

describe.skipIf(!isRoot)('ARG and ENV', () => {
  let root: BuildRoot;
  beforeEach(async () => {
    root = new BuildRoot('build-args');
    await root.importBusybox();
  });
  afterEach(() => root.cleanup());

  const DOCKERFILE = `ARG BASE=busybox
FROM $BASE
ARG A=default-a
ARG B
ENV B=env-b
RUN echo "run1 A=$A B=$B" > /run1
ARG B=arg-b
ENV C=$A-c
RUN echo "run2 B=$B C=$C http_proxy=$http_proxy" > /run2
`;

  it('follows docker precedence for RUN and for the image environment', async () => {
    const ctx = root.context({ Dockerfile: DOCKERFILE });
    const r = await root.build(ctx, ['-t', 'args', '--build-arg', 'A=from-cli', '--build-arg', 'http_proxy=http://127.0.0.1:3128', '--build-arg', 'UNUSED=1']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stderr)).toContain('[Warning] One or more build-args [UNUSED] were not consumed');
    expect(await root.sh('args', 'cat /run1 /run2')).toBe('run1 A=from-cli B=env-b\nrun2 B=arg-b C=from-cli-c http_proxy=http://127.0.0.1:3128\n');
    const img = await root.inspect('args');
    expect(img.Config.Env).toEqual(expect.arrayContaining(['B=env-b', 'C=from-cli-c']));
    expect(img.Config.Env.join(' ')).not.toMatch(/\bA=|proxy/);
    const history = String((await root.ok(['history', '--no-trunc', '--format', '{{.CreatedBy}}', 'args'])).stdout);
    expect(history).not.toContain('127.0.0.1:3128'); // proxy values stay out of the history
    expect(history).toContain('RUN |2 A=from-cli B=arg-b /bin/sh -c echo "run2 B=$B C=$C http_proxy=$http_proxy" > /run2 # buildkit');
    expect(history).toContain('ARG A=from-cli');
  });

  it('uses ARG defaults without build args, and a global ARG in FROM', async () => {
    const ctx = root.context({ Dockerfile: DOCKERFILE });
    const id = await root.buildId(ctx);
    expect(await root.sh(id, 'cat /run1')).toBe('run1 A=default-a B=env-b\n');
    const bad = await root.build(ctx, ['--build-arg', 'BASE=nope']);
    expect(bad.exitCode).toBe(1);
    expect(String(bad.stderr)).toContain('docker.io/library/nope:latest');
  });
});
