// RUN in a real container: shell and exec forms, SHELL, heredocs (a plain script, a script with
// a shebang run from a file, heredocs the shell reads itself), --network, the history BuildKit
// writes for each step, and steps that change nothing adding no layer.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRoot } from '../../helpers/cli.js';
import { BuildRoot } from './helpers.js';

describe.skipIf(!isRoot)('RUN', () => {
  let root: BuildRoot;
  beforeEach(async () => {
    root = new BuildRoot('build-run');
    await root.importBusybox();
  });
  afterEach(() => root.cleanup());

  it('runs shell and exec forms, with SHELL, and heredocs', async () => {
    const ctx = root.context({
      Dockerfile: [
        'FROM busybox',
        'RUN echo "shell $0" > /shell',
        'RUN ["/bin/sh", "-c", "echo exec $0 > /exec"]',
        'SHELL ["/bin/sh", "-ec"]',
        'RUN echo "with -e $-" > /sheller',
        'RUN <<EOT',
        'echo plain heredoc > /heredoc1',
        'echo second line >> /heredoc1',
        'EOT',
        'RUN <<EOT',
        '#!/bin/sh',
        'echo "script $0" > /heredoc2',
        'EOT',
        'RUN cat <<A > /heredoc3 && cat <<B >> /heredoc3',
        'from A',
        'A',
        'from B',
        'B',
        '',
      ].join('\n'),
    });
    const id = await root.buildId(ctx, ['-t', 'runs']);
    expect(await root.sh(id, 'cat /shell /exec /heredoc1 /heredoc2 /heredoc3')).toBe(
      'shell /bin/sh\nexec /bin/sh\nplain heredoc\nsecond line\nscript /.minidock/pipes/EOT\nfrom A\nfrom B\n',
    );
    // $- lists the shell's flags: SHELL ["/bin/sh", "-ec"] turned on -e.
    expect(await root.sh(id, 'cat /sheller')).toMatch(/^with -e \S*e\S*\n$/);
    expect(await root.sh(id, 'ls -a / | grep -c minidock || true')).toBe('0\n'); // the heredoc file is not in the image
  });

  it('records BuildKit history and adds no layer for a step that changes nothing', async () => {
    const ctx = root.context({ Dockerfile: 'FROM busybox\nENV A=1\nRUN true\nRUN echo x > /x\nCOPY f /f\nCMD ["sh"]\n', f: 'f' });
    const id = await root.buildId(ctx);
    const rows = String((await root.ok(['history', '--no-trunc', '--format', '{{.CreatedBy}}|{{.Size}}|{{.Comment}}', id])).stdout)
      .trim()
      .split('\n');
    expect(rows.slice(0, 5)).toEqual([
      'CMD ["sh"]|0B|buildkit.dockerfile.v0',
      expect.stringMatching(/^COPY f \/f # buildkit\|[\d.]+k?B\|buildkit\.dockerfile\.v0$/),
      expect.stringMatching(/^RUN \/bin\/sh -c echo x > \/x # buildkit\|[\d.]+k?B\|buildkit\.dockerfile\.v0$/),
      'RUN /bin/sh -c true # buildkit|0B|buildkit.dockerfile.v0',
      'ENV A=1|0B|buildkit.dockerfile.v0',
    ]);
    const img = await root.inspect(id);
    const base = await root.inspect('busybox');
    expect(img.RootFS.Layers).toHaveLength(base.RootFS.Layers.length + 2);
  });

  it('--network=none leaves only the loopback interface; the default is the host network', async () => {
    const ctx = root.context({ Dockerfile: 'FROM busybox\nRUN --network=none cat /proc/net/dev > /none\nRUN cat /proc/net/dev > /default\n' });
    const id = await root.buildId(ctx);
    const ifaces = (text: string) =>
      text
        .split('\n')
        .slice(2)
        .filter(Boolean)
        .map((l) => l.split(':')[0].trim());
    expect(ifaces(await root.sh(id, 'cat /none'))).toEqual(['lo']);
    const host = ifaces(readFileSync('/proc/net/dev', 'utf8')).filter((i) => i !== 'lo');
    expect(ifaces(await root.sh(id, 'cat /default')).filter((i) => host.includes(i)).length).toBeGreaterThan(0);
    const none = await root.buildId(ctx, ['--network', 'none', '--no-cache']);
    expect(ifaces(await root.sh(none, 'cat /default'))).toEqual(['lo']);
  });

  it('shows output lines of a step as it runs, with their time', async () => {
    const ctx = root.context({ Dockerfile: 'FROM busybox\nRUN echo out; echo err >&2\n' });
    const r = await root.build(ctx);
    expect(String(r.stderr)).toMatch(/#\d+ \[2\/2\] RUN echo out; echo err >&2\n#\d+ \d+\.\d{3} out\n#\d+ \d+\.\d{3} err\n#\d+ DONE \d+\.\ds\n/);
  });
});
