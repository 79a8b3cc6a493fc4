// --change lines for import/commit (moby BuildFromConfig semantics).
import { describe, expect, it } from 'vitest';
import { applyChanges, parseChange } from '../../../src/cli/parse/change.js';

describe('parseChange', () => {
  it.each([
    ['CMD ["sh"]', { kind: 'cmd', value: ['sh'] }],
    ['CMD echo hi', { kind: 'cmd', value: ['/bin/sh', '-c', 'echo hi'] }],
    ['cmd [not json', { kind: 'cmd', value: ['/bin/sh', '-c', '[not json'] }],
    ['ENTRYPOINT ["/bin/app", "-v"]', { kind: 'entrypoint', value: ['/bin/app', '-v'] }],
    ['ENV A=b', { kind: 'env', pairs: [['A', 'b']] }],
    ['ENV A="hello world" B=c\\ d', { kind: 'env', pairs: [['A', 'hello world'], ['B', 'c d']] }],
    ['ENV LEGACY value with spaces', { kind: 'env', pairs: [['LEGACY', 'value with spaces']] }],
    ['LABEL a=b "c d"=e', { kind: 'label', pairs: [['a', 'b'], ['c d', 'e']] }],
    ['EXPOSE 80/tcp 53/udp 8000-8001', { kind: 'expose', ports: ['80/tcp', '53/udp', '8000/tcp', '8001/tcp'] }],
    ['WORKDIR /x', { kind: 'workdir', value: '/x' }],
    ['USER u:g', { kind: 'user', value: 'u:g' }],
    ['VOLUME /data /logs', { kind: 'volume', paths: ['/data', '/logs'] }],
    ['VOLUME ["/data"]', { kind: 'volume', paths: ['/data'] }],
    ['STOPSIGNAL SIGINT', { kind: 'stopsignal', value: 'SIGINT' }],
    ['ONBUILD run make', { kind: 'onbuild', trigger: 'RUN make' }],
  ])('%s', (line, expected) => expect(parseChange(line)).toEqual(expected));

  it.each([
    ['RUN ls', 'run is not a valid change command'],
    ['MAINTAINER me', 'maintainer is not a valid change command'],
    ['ENV A', 'ENV must have two arguments'],
    ['LABEL a=b c', `Syntax error - can't find = in "c". Must be of the form: name=value`],
    ['STOPSIGNAL NOPE', 'Invalid signal: NOPE'],
    ['EXPOSE abc', 'invalid range format for --expose: abc'],
    ['ONBUILD ONBUILD RUN x', 'Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed'],
    ['WORKDIR a b', 'WORKDIR requires exactly one argument'],
  ])('rejects %s', (line, msg) => expect(() => parseChange(line)).toThrow(msg));

  it('expands variables from the config env', () => {
    expect(parseChange('ENV B=$A/x C=${A:-d} D=${NOPE:-d} E=\'$A\'', { Env: ['A=1'] })).toEqual({
      kind: 'env',
      pairs: [['B', '1/x'], ['C', '1'], ['D', 'd'], ['E', '$A']],
    });
  });
});

describe('applyChanges', () => {
  const base = { Env: ['PATH=/bin', 'A=1'], Cmd: ['sh'], WorkingDir: '/srv', Labels: { x: 'y' } };
  it('edits a copy of the config in order', () => {
    const out = applyChanges(base, ['ENV A=2 B=3', 'WORKDIR app', 'LABEL z=1', 'EXPOSE 80', 'VOLUME /data', 'USER nobody']);
    expect(out).toEqual({
      Env: ['PATH=/bin', 'A=2', 'B=3'],
      Cmd: ['sh'],
      WorkingDir: '/srv/app',
      Labels: { x: 'y', z: '1' },
      ExposedPorts: { '80/tcp': {} },
      Volumes: { '/data': {} },
      User: 'nobody',
    });
    expect(base.Env).toEqual(['PATH=/bin', 'A=1']);
  });
  it('ENTRYPOINT clears CMD unless CMD came first', () => {
    expect(applyChanges(base, ['ENTRYPOINT ["/app"]']).Cmd).toBeNull();
    expect(applyChanges(base, ['CMD ["x"]', 'ENTRYPOINT ["/app"]']).Cmd).toEqual(['x']);
  });
});
