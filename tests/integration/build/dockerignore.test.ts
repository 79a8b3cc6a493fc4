// .dockerignore in a real build: excluded files are not in COPY, `!` exceptions bring files
// back even from an excluded directory, the Dockerfile is read even when ignored, and
// `<Dockerfile>.dockerignore` takes precedence over the context's own.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { isRoot } from '../../helpers/cli.js';
import { BuildRoot } from './helpers.js';

describe.skipIf(!isRoot)('.dockerignore', () => {
  let root: BuildRoot;
  beforeEach(async () => {
    root = new BuildRoot('build-ignore');
    await root.importBusybox();
  });
  afterEach(() => root.cleanup());

  const files = {
    'app/main.c': 'main',
    'app/debug.log': 'log',
    'app/keep.log': 'keep',
    'docs/README.md': 'readme',
    'docs/guide.md': 'guide',
    'secrets/key': 'k',
    'top.md': 'md',
    'node_modules/x/index.js': 'x',
  };

  it('applies patterns and exceptions to COPY, and still reads an ignored Dockerfile', async () => {
    const ctx = root.context({
      ...files,
      Dockerfile: 'FROM busybox\nCOPY . /ctx\n',
      '.dockerignore': '# comment\n**/*.log\n!app/keep.log\ndocs\n!docs/README.md\n/secrets\n*.md\nnode_modules\nDockerfile\n.dockerignore\n',
    });
    const id = await root.buildId(ctx);
    expect(await root.sh(id, 'cd /ctx && find . | sort')).toBe(['.', './app', './app/keep.log', './app/main.c', './docs', './docs/README.md', ''].join('\n'));
  });

  it('a named file is not found when excluded, and says why', async () => {
    const ctx = root.context({ ...files, Dockerfile: 'FROM busybox\nCOPY secrets/key /key\n', '.dockerignore': 'secrets\n' });
    const r = await root.build(ctx);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr)).toContain('"/secrets/key": not found');
    expect(String(r.stderr)).toContain('Hint: the path is excluded by .dockerignore');
  });

  it('uses <Dockerfile>.dockerignore beside a -f Dockerfile instead of .dockerignore', async () => {
    const ctx = root.context({
      ...files,
      'build/app.Dockerfile': 'FROM busybox\nCOPY . /ctx\n',
      'build/app.Dockerfile.dockerignore': '*\n!app/main.c\n',
      '.dockerignore': 'app\n',
    });
    const id = await root.buildId(ctx, ['-f', join(ctx, 'build/app.Dockerfile')]);
    expect(await root.sh(id, 'cd /ctx && find . | sort')).toBe('.\n./app\n./app/main.c\n');
  });
});
