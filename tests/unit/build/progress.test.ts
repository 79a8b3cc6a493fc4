// Progress rendering: BuildKit's plain text, the tty frame, and the failure report.
import { describe, expect, it } from 'vitest';
import { PlainRenderer } from '../../../src/image/build/progress/plain.js';
import { Progress, QuietRenderer } from '../../../src/image/build/progress/progress.js';
import { renderFailedStep, renderSource } from '../../../src/image/build/progress/report.js';
import { TtyRenderer } from '../../../src/image/build/progress/tty.js';
import { renderCheck } from '../../../src/image/build/check.js';
import { lintReport } from '../../../src/image/dockerfile/index.js';

/** A clock the test moves by hand. */
function clock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('plain progress', () => {
  it('prints vertices, timed log lines, CACHED, DONE and ERROR as BuildKit does', () => {
    const c = clock();
    let out = '';
    const p = new Progress(new PlainRenderer((s) => (out += s)), c.now);
    const a = p.vertex('[1/3] FROM docker.io/library/busybox:latest');
    a.cached();
    const b = p.vertex('[2/3] RUN echo hi');
    c.advance(123);
    b.log('hi\npart');
    b.log('ial\n');
    b.log('err\n', 2);
    c.advance(277);
    b.done();
    const d = p.vertex('[3/3] RUN exit 3');
    c.advance(50);
    d.log('no newline at the end');
    d.error('process "/bin/sh -c exit 3" did not complete successfully: exit code: 3');
    const e = p.vertex('exporting to image');
    e.status('writing image sha256:abc done');
    e.done();
    p.close();
    expect(out).toBe(
      [
        '#1 [1/3] FROM docker.io/library/busybox:latest',
        '#1 CACHED',
        '',
        '#2 [2/3] RUN echo hi',
        '#2 0.123 hi',
        '#2 0.123 partial',
        '#2 0.123 err',
        '#2 DONE 0.4s',
        '',
        '#3 [3/3] RUN exit 3',
        '#3 0.050 no newline at the end',
        '#3 ERROR: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3',
        '',
        '#4 exporting to image',
        '#4 writing image sha256:abc done',
        '#4 DONE 0.0s',
        '',
      ].join('\n'),
    );
  });
  it('marks a vertex interrupted by another with "..."', () => {
    let out = '';
    const p = new Progress(new PlainRenderer((s) => (out += s)), clock().now);
    const a = p.vertex('a');
    p.vertex('b');
    a.log('late\n');
    expect(out).toBe('#1 a\n#1 ...\n\n#2 b\n#2 ...\n\n#1 a\n#1 0.000 late\n');
  });
  it('quiet prints nothing', () => {
    const p = new Progress(new QuietRenderer());
    p.vertex('x').done();
    p.close();
  });
});

describe('tty progress', () => {
  it('draws a frame with times, the running step output, and FINISHED at the end', () => {
    const c = clock();
    const writes: string[] = [];
    const r = new TtyRenderer({ write: (s) => writes.push(s), columns: () => 60, rows: () => 40, now: c.now });
    const p = new Progress(r, c.now);
    p.vertex('[1/2] FROM busybox').cached();
    const run = p.vertex('[2/2] RUN make');
    run.log('\x1b[31mcompiling\x1b[0m\n');
    c.advance(1500);
    const frame = r.frame(false);
    expect(frame[0]).toBe('[+] Building 1.5s (1/2)');
    expect(frame[1]).toMatch(/^ => CACHED \[1\/2\] FROM busybox +0\.0s$/);
    expect(frame[1]).toHaveLength(59);
    expect(frame[2]).toMatch(/^ => \[2\/2\] RUN make +1\.5s$/);
    expect(frame[3]).toBe(' => => # compiling');
    run.done();
    p.close();
    const last = writes[writes.length - 1];
    expect(last).toContain('(2/2) FINISHED');
    expect(last).not.toContain('compiling'); // a finished step's output is folded away
    expect(last.startsWith('\x1b[')).toBe(true); // redrawn over the previous frame
  });
  it('keeps the bottom of the frame on a short terminal', () => {
    const c = clock();
    const r = new TtyRenderer({ write: () => {}, columns: () => 80, rows: () => 4, now: c.now });
    const p = new Progress(r, c.now);
    for (let i = 1; i <= 6; i++) p.vertex(`step ${i}`).done();
    const frame = r.frame(true);
    expect(frame).toHaveLength(3);
    expect(frame[0]).toMatch(/^\[\+\] Building/);
    expect(frame[2]).toMatch(/step 6/);
    p.close();
  });
});

describe('failure report', () => {
  const text = 'FROM busybox\nRUN echo hi\nRUN exit 3\n';
  it('shows the Dockerfile lines around the failed instruction (errdefs Source.Print)', () => {
    expect(renderSource('Dockerfile', text, [{ line: 3, endLine: 3 }])).toBe(
      ['Dockerfile:3', '--------------------', '   1 |     FROM busybox', '   2 |     RUN echo hi', '   3 | >>> RUN exit 3', '   4 |     ', '--------------------', ''].join('\n'),
    );
    expect(renderSource('Dockerfile', 'a\nb\nc\nd\ne\nf\ng\n', [{ line: 4, endLine: 5 }]).split('\n').slice(2, -2)).toEqual([
      '   3 |     c',
      '   4 | >>> d',
      '   5 | >>> e',
      '   6 |     f',
    ]);
  });
  it('boxes the failed step with its last output lines', () => {
    expect(renderFailedStep('[3/3] RUN exit 3', [{ at: 0.2151, text: 'bye' }])).toBe('------\n > [3/3] RUN exit 3:\n0.215 bye\n------\n');
  });
});

describe('build --check output', () => {
  it('counts and lists findings with their source lines, exit 1', () => {
    const df = 'FROM busybox as b\nCMD echo\n';
    const out = renderCheck(lintReport(df), 'Dockerfile', df, 'text');
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toMatch(/^Check complete, 2 warnings have been found!\n\nWARNING: FromAsCasing - https:\/\/docs\.docker\.com\/go\/dockerfile\/rule\/from-as-casing\/\n'as' and 'FROM' keywords' casing do not match\nDockerfile:1\n/);
    expect(out.stdout).toContain('   2 | >>> CMD echo');
  });
  it('says so when there is nothing to report, exit 0', () => {
    const df = 'FROM busybox\nCMD ["echo"]\n';
    expect(renderCheck(lintReport(df), 'Dockerfile', df, 'text')).toEqual({ stdout: 'Check complete, no warnings found.\n', exitCode: 0 });
  });
  it('prints JSON with the rule, the detail and the location', () => {
    const df = 'FROM busybox\nCMD echo\n';
    const out = renderCheck(lintReport(df), 'Dockerfile', df, 'json');
    const json = JSON.parse(out.stdout);
    expect(json.warnings).toEqual([
      expect.objectContaining({ ruleName: 'JSONArgsRecommended', detail: expect.stringContaining('JSON arguments recommended'), location: { ranges: [{ start: { line: 2 }, end: { line: 2 } }] } }),
    ]);
    expect(Buffer.from(json.sources[0].data, 'base64').toString()).toBe(df);
    expect(out.exitCode).toBe(1);
  });
  it('reports a Dockerfile that cannot be built after its findings', () => {
    const df = 'FROM busybox as b\nFROM b\nRUN --mount=type=bogus x\n';
    const out = renderCheck(lintReport(df), 'Dockerfile', df, 'text');
    expect(out.exitCode).toBe(1);
    expect(out.error).toBeDefined();
  });
});
