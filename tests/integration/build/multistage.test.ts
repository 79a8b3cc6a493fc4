// Multi-stage builds: the final image holds only what it copied; only the stages the target
// needs run (BuildKit's behaviour); COPY --from takes a stage by name or index, or an image.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot } from '../../helpers/cli.js';
import { BuildRoot, stepResults } from './helpers.js';

describe.skipIf(!isRoot)('multi-stage build', () => {
  let root: BuildRoot;
  beforeEach(async () => {
    root = new BuildRoot('build-multi');
    await root.importBusybox();
  });
  afterEach(() => root.cleanup());

  const DOCKERFILE = `FROM busybox AS builder
RUN mkdir -p /out /junk && echo compiled > /out/app && echo scratchpad > /junk/tmp
FROM busybox AS unused
RUN echo this stage must not run > /unused
FROM scratch AS assets
COPY --from=0 /out/app /from-index
FROM busybox
COPY --from=builder /out/app /usr/local/bin/app
COPY --from=assets /from-index /copied-by-index
COPY --from=busybox /etc/group /group-from-image
`;

  it('the final image contains only what was copied, and unused stages do not run', async () => {
    const ctx = root.context({ Dockerfile: DOCKERFILE });
    const r = await root.build(ctx, ['-t', 'multi']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stderr)).not.toContain('this stage must not run');
    expect(stepResults(String(r.stderr))).toEqual([
      '[builder 1/2] FROM docker.io/library/busybox:latest: CACHED',
      '[builder 2/2] RUN mkdir -p /out /junk && echo compiled > /out/app && echo scratchpad > /junk/tmp: DONE',
      '[assets 1/1] COPY --from=0 /out/app /from-index: DONE',
      '[stage-3 1/4] FROM docker.io/library/busybox:latest: CACHED',
      '[stage-3 2/4] COPY --from=builder /out/app /usr/local/bin/app: DONE',
      '[stage-3 3/4] COPY --from=assets /from-index /copied-by-index: DONE',
      '[stage-3 4/4] COPY --from=busybox /etc/group /group-from-image: DONE',
    ]);
    const out = await root.sh('multi', 'cat /usr/local/bin/app /copied-by-index; ls /junk /out /unused 2>&1; head -1 /group-from-image');
    expect(out).toBe('compiled\ncompiled\nls: /junk: No such file or directory\nls: /out: No such file or directory\nls: /unused: No such file or directory\nroot:x:0:\n');
  });

  it('--target builds that stage and what it needs, nothing after it', async () => {
    const ctx = root.context({ Dockerfile: DOCKERFILE });
    const r = await root.build(ctx, ['--target', 'assets', '-t', 'assets-only']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const steps = stepResults(String(r.stderr));
    expect(steps).toEqual([
      '[builder 1/2] FROM docker.io/library/busybox:latest: CACHED',
      '[builder 2/2] RUN mkdir -p /out /junk && echo compiled > /out/app && echo scratchpad > /junk/tmp: DONE',
      '[assets 1/1] COPY --from=0 /out/app /from-index: DONE',
    ]);
    const img = await root.inspect('assets-only');
    expect(img.RootFS.Layers).toHaveLength(1); // scratch + one COPY layer
  });

  it('refuses COPY --from a stage defined later, naming both stages', async () => {
    const ctx = root.context({ Dockerfile: 'FROM busybox AS first\nCOPY --from=second /x /x\nFROM busybox AS second\nRUN touch /x\nFROM first\n' });
    const r = await root.build(ctx);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toContain('cannot copy from stage "second", it needs to be defined before current stage "first"');
  });

  it('a stage built FROM another stage continues from its image', async () => {
    const ctx = root.context({ Dockerfile: 'FROM busybox AS base\nENV FROM_BASE=yes\nRUN echo base > /base\nFROM base\nRUN cat /base; echo $FROM_BASE > /child\n' });
    const id = await root.buildId(ctx);
    expect(await root.sh(id, 'cat /base /child')).toBe('base\nyes\n');
  });
});
