// ONBUILD: triggers are stored in the image config, run at the start of a child build that
// uses the image as its base (before the child's own instructions), and are not inherited.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot } from '../../helpers/cli.js';
import { BuildRoot, stepResults } from './helpers.js';

describe.skipIf(!isRoot)('ONBUILD', () => {
  let root: BuildRoot;
  beforeEach(async () => {
    root = new BuildRoot('build-onbuild');
    await root.importBusybox();
  });
  afterEach(() => root.cleanup());

  it('fires in a child build, in order, before the child instructions', async () => {
    const parent = root.context({ Dockerfile: 'FROM busybox\nONBUILD COPY app.txt /app/\nONBUILD RUN cat /app/app.txt > /app/seen\nRUN echo parent > /parent\n' });
    await root.buildId(parent, ['-t', 'onbuild-base']);
    expect((await root.inspect('onbuild-base')).Config.OnBuild).toEqual(['COPY app.txt /app/', 'RUN cat /app/app.txt > /app/seen']);
    expect(await root.sh('onbuild-base', 'ls /app 2>&1 || true')).toContain('No such file');

    const child = root.context({ Dockerfile: 'FROM onbuild-base\nRUN cat /app/seen /parent > /child\n', 'app.txt': 'from the child context\n' });
    const r = await root.build(child, ['-t', 'onbuild-child']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(stepResults(String(r.stderr))).toEqual([
      '[1/4] FROM docker.io/library/onbuild-base:latest: CACHED',
      '[2/4] ONBUILD COPY app.txt /app/: DONE',
      '[3/4] ONBUILD RUN cat /app/app.txt > /app/seen: DONE',
      '[4/4] RUN cat /app/seen /parent > /child: DONE',
    ]);
    expect(await root.sh('onbuild-child', 'cat /child')).toBe('from the child context\nparent\n');
    expect((await root.inspect('onbuild-child')).Config.OnBuild ?? null).toBeNull();

    const grandchild = root.context({ Dockerfile: 'FROM onbuild-child\nRUN test ! -e /app/again\n' });
    expect(stepResults(String((await root.build(grandchild)).stderr))).toHaveLength(2);
  });
});
