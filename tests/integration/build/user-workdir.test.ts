// USER and WORKDIR: they apply to later RUN steps and to containers run from the image;
// WORKDIR creates its directory (owned by the USER in force, as BuildKit does) and is
// relative to the previous one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot } from '../../helpers/cli.js';
import { BuildRoot } from './helpers.js';

describe.skipIf(!isRoot)('USER and WORKDIR', () => {
  let root: BuildRoot;
  beforeEach(async () => {
    root = new BuildRoot('build-user');
    await root.importBusybox();
  });
  afterEach(() => root.cleanup());

  it('take effect in RUN and at run time', async () => {
    const ctx = root.context({
      Dockerfile: `FROM busybox
WORKDIR /srv
WORKDIR data
RUN id -u > /tmp/root-uid && pwd > /tmp/pwd1
USER app
WORKDIR /home/app/work
RUN id > ids && pwd > where && touch mine
USER 1000:50
RUN id -u -n > /tmp/by-number-user; id -g > /tmp/by-number-group
`,
    });
    const id = await root.buildId(ctx, ['-t', 'users']);
    expect(await root.sh(id, 'cat /tmp/root-uid /tmp/pwd1 ids where /tmp/by-number-user /tmp/by-number-group')).toBe(
      '0\n/srv/data\nuid=1000(app) gid=1000(app) groups=50(staff)\n/home/app/work\napp\n50\n',
    );
    expect(await root.sh(id, 'id -u; pwd; stat -c "%U:%G %a" /home/app/work /home/app/work/mine /srv/data')).toBe(
      '1000\n/home/app/work\napp:app 755\napp:app 644\nroot:root 755\n',
    );
    const img = await root.inspect('users');
    expect(img.Config.User).toBe('1000:50');
    expect(img.Config.WorkingDir).toBe('/home/app/work');
  });

  it('an unknown USER fails the RUN that needs it, and an existing WORKDIR adds no layer', async () => {
    const ctx = root.context({ Dockerfile: 'FROM busybox\nWORKDIR /tmp\nUSER ghost\nRUN true\n' });
    const r = await root.build(ctx);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toContain('unable to find user ghost');
    const ok = root.context({ Dockerfile: 'FROM busybox\nWORKDIR /tmp\n' });
    const id = await root.buildId(ok);
    const base = await root.inspect('busybox');
    const img = await root.inspect(id);
    expect(img.RootFS.Layers).toEqual(base.RootFS.Layers);
  });
});
