// Typed instructions: argument and flag checks with located errors, did-you-mean, RUN mounts and
// devices, HEALTHCHECK durations, ONBUILD triggers, stage references and how a RUN executes.
import { describe, expect, it } from 'vitest';
import { parseGoDuration } from '../../../src/image/dockerfile/go-duration.js';
import { parseDockerfile, parseOnbuildTrigger } from '../../../src/image/dockerfile/instructions.js';
import { planRun } from '../../../src/image/dockerfile/run-plan.js';
import { csvFields, parseRunDevice, parseRunMount, ramInBytes } from '../../../src/image/dockerfile/run-mount.js';
import { copyFromStage, fromStage } from '../../../src/image/dockerfile/stage-refs.js';
import type { Instruction, RunInstruction } from '../../../src/image/dockerfile/types.js';

/** The instructions of a one-stage Dockerfile whose body is `body` (FROM on line 1). */
function body(text: string): Instruction[] {
  return parseDockerfile(`FROM busybox\n${text}`).stages[0].instructions;
}

function errorOf(text: string): string {
  try {
    parseDockerfile(text);
  } catch (err) {
    return (err as Error).message;
  }
  return '(no error)';
}

describe('argument counts (instructions/parse_test.go)', () => {
  for (const cmd of ['MAINTAINER', 'WORKDIR', 'USER', 'STOPSIGNAL']) {
    it(`${cmd} requires exactly one argument`, () => {
      expect(errorOf(`FROM a\n${cmd}`)).toBe(`Dockerfile:2: ${cmd} requires exactly one argument`);
    });
  }
  for (const cmd of ['ENV', 'LABEL', 'ONBUILD', 'HEALTHCHECK', 'EXPOSE', 'VOLUME', 'ARG']) {
    it(`${cmd} requires at least one argument`, () => {
      expect(errorOf(`FROM a\n${cmd}`)).toBe(`Dockerfile:2: ${cmd} requires at least one argument`);
    });
  }
  for (const cmd of ['ADD', 'COPY']) {
    it(`${cmd} needs a destination`, () => {
      expect(errorOf(`FROM a\n${cmd} arg1`)).toBe(
        `Dockerfile:2: ${cmd} requires at least two arguments, but only one was provided. Destination could not be determined`,
      );
    });
  }
  it('errors name the first line of a continued instruction', () => {
    expect(errorOf('FROM a\nRUN echo \\\n  --x\nWORKDIR a b\\\n c\nRNU x')).toBe('Dockerfile:6: unknown instruction: RNU (did you mean RUN?)');
  });
});

describe('unknown instructions suggest the closest one', () => {
  const cases: [string, string][] = [
    ['RNU echo', 'unknown instruction: RNU (did you mean RUN?)'],
    ['cpoy a b', 'unknown instruction: cpoy (did you mean copy?)'],
    ['Workdri /x', 'unknown instruction: Workdri (did you mean workdir?)'],
    ['FOO bar', 'unknown instruction: FOO (did you mean FROM?)'],
    ['XYZZY', 'unknown instruction: XYZZY'],
  ];
  for (const [line, message] of cases) it(line, () => expect(errorOf(`FROM a\n${line}`)).toBe(`Dockerfile:2: ${message}`));
});

describe('flags', () => {
  it('unknown flag names the line and suggests', () => {
    expect(errorOf('FROM a\nRUN true\nCOPY --frmo=x a b')).toBe('Dockerfile:3: unknown flag: --frmo (did you mean --from?)');
    expect(errorOf('FROM --platfrom=linux/amd64 a')).toBe('Dockerfile:1: unknown flag: --platfrom (did you mean --platform?)');
    expect(errorOf('FROM a\nENV --x=1 A=1')).toBe('Dockerfile:2: unknown flag: --x');
  });
  it('values, booleans and repeats', () => {
    const [copy] = body('COPY --link=false --chmod=755 --exclude=a --exclude=b x y');
    expect(copy).toMatchObject({ kind: 'copy', link: false, chmod: '755', exclude: ['a', 'b'] });
    const [add] = body('ADD --link --unpack=TRUE x y');
    expect(add).toMatchObject({ kind: 'add', link: true, unpack: true, keepGitDir: false });
    expect((body('ADD x y')[0] as { unpack?: boolean }).unpack).toBeUndefined();
  });
  it('duplicate and valueless flags', () => {
    expect(errorOf('FROM a\nCOPY --from=a --from=b x y')).toBe('Dockerfile:2: duplicate flag specified: --from');
    expect(errorOf('FROM a\nCOPY --from x y')).toBe('Dockerfile:2: missing a value on flag: --from');
    expect(errorOf('FROM a\nCOPY --link= x y')).toBe('Dockerfile:2: missing a value on flag: --link');
  });
  it('flags BuildKit ignores are accepted: ARG, STOPSIGNAL, HEALTHCHECK NONE', () => {
    expect(body('ARG --x A\nSTOPSIGNAL --y 9\nHEALTHCHECK --z NONE').map((i) => i.kind)).toEqual(['arg', 'stopsignal', 'healthcheck']);
  });
  it('RUN --network and --security', () => {
    expect(body('RUN --network=host --security=insecure true')[0]).toMatchObject({ network: 'host', security: 'insecure', flagsUsed: ['network', 'security'] });
    expect(errorOf('FROM a\nRUN --network=bridge true')).toBe('Dockerfile:2: invalid network mode "bridge"');
  });
});

describe('typed instructions', () => {
  it('command lines', () => {
    const [run, cmd, ep, hc] = body('RUN ["a", "b"]\nCMD echo   hi\nENTRYPOINT\nHEALTHCHECK CMD ["x"]');
    expect(run).toMatchObject({ command: { form: 'exec', argv: ['a', 'b'] } });
    expect(cmd).toMatchObject({ command: { form: 'shell', script: 'echo   hi' } });
    expect(ep).toMatchObject({ command: { form: 'shell', script: '' } });
    expect(hc).toMatchObject({ health: { test: ['CMD', 'x'] } });
  });
  it('HEALTHCHECK shell form is CMD-SHELL (TestHealthCheckCmd)', () => {
    expect(body('HEALTHCHECK CMD hello world')[0]).toMatchObject({ health: { test: ['CMD-SHELL', 'hello world'] } });
  });
  it('ENV/LABEL pairs keep quotes and mark the legacy form', () => {
    expect(body('ENV A="x y" B=z\nLABEL k v w')).toMatchObject([
      { pairs: [{ key: 'A', value: '"x y"', legacy: false }, { key: 'B', value: 'z', legacy: false }] },
      { pairs: [{ key: 'k', value: 'v w', legacy: true }] },
    ]);
  });
  it('ARG declarations', () => {
    expect(body('ARG a b=2 c="x y"')[0]).toMatchObject({ args: [{ name: 'a' }, { name: 'b', value: '2' }, { name: 'c', value: '"x y"' }] });
  });
  it('EXPOSE ports are sorted as strings, VOLUME entries trimmed', () => {
    expect(body('EXPOSE 8080 443/tcp 80\nVOLUME [" /a ", "/b"]')).toMatchObject([{ ports: ['443/tcp', '80', '8080'] }, { paths: ['/a', '/b'] }]);
  });
  it('source and lines', () => {
    expect(body('RUN a \\\n  b')[0]).toMatchObject({ line: 2, endLine: 3, keyword: 'RUN', source: 'RUN a   b' });
  });
  it('stages: names are lower-cased, FROM binds earlier stages only', () => {
    const df = parseDockerfile('FROM a AS One\nFROM one AS two\nFROM two\nFROM one AS one');
    expect(df.stages.map((s) => s.name)).toEqual(['one', 'two', undefined, 'one']);
    expect(fromStage(df.stages, 1, 'one')?.index).toBe(0);
    expect(fromStage(df.stages, 0, 'one')).toBeUndefined();
    expect(fromStage(df.stages, 1, 'One')).toBeUndefined();
    expect(copyFromStage(df.stages, 'ONE')?.index).toBe(3);
    expect(copyFromStage(df.stages, '1')?.index).toBe(1);
    expect(copyFromStage(df.stages, 'alpine:3')).toBeUndefined();
    expect(() => copyFromStage(df.stages, '9')).toThrow('invalid stage index 9');
  });
  it('global ARGs before FROM, nothing else', () => {
    expect(parseDockerfile('ARG A\nARG B=1\nFROM x').metaArgs.map((a) => a.args[0].name)).toEqual(['A', 'B']);
    expect(errorOf('ARG A\nENV B=1\nFROM x')).toBe('Dockerfile:2: no build stage in current context');
  });
});

describe('ONBUILD', () => {
  it('stores the trigger text, heredoc bodies appended', () => {
    expect(body('ONBUILD  RUN x\nonbuild COPY <<EOF /f\nhi\nEOF')).toMatchObject([{ expression: 'RUN x' }, { expression: 'COPY <<EOF /f\nhi\nEOF' }]);
  });
  it('triggers from an image config parse back into instructions', () => {
    expect(parseOnbuildTrigger('COPY <<EOF /f\nhi\nEOF')).toMatchObject({
      kind: 'copy',
      sources: [{ kind: 'heredoc', name: 'EOF', content: 'hi\n' }],
      dest: '/f',
    });
    expect(() => parseOnbuildTrigger('RUN a\nRUN b')).toThrow('onbuild trigger should be a single expression');
    expect(() => parseOnbuildTrigger('FROM x')).toThrow();
  });
});

describe('RUN --mount', () => {
  const ok: [string, object][] = [
    ['target=/x', { type: 'bind', target: '/x', readonly: true }],
    ['type=bind,src=a,dst=/b,rw', { type: 'bind', source: 'a', target: '/b', readonly: false }],
    ['type=bind,source=a,destination=/b,readwrite=true', { readonly: false }],
    ['type=cache,target=/c', { type: 'cache', readonly: false }],
    ['type=cache,target=/c,ro', { readonly: true }],
    ['type=cache,target=/c,sharing=Private,id=x,mode=0700,uid=1,gid=2', { sharing: 'private', id: 'x', mode: 0o700, uid: 1, gid: 2 }],
    ['type=tmpfs,target=/t,size=1g', { type: 'tmpfs', sizeLimit: 1024 ** 3, readonly: false }],
    ['type=secret,id=s,required', { type: 'secret', id: 's', required: true, readonly: true }],
    ['type=secret,id=s,env=TOKEN,required=false', { env: 'TOKEN', required: false }],
    ['type=ssh,required=true,mode=0600', { type: 'ssh', required: true, mode: 0o600 }],
    ['TYPE=CACHE,TARGET=/c', { type: 'cache', target: '/c' }],
    ['type=bind,"target=/a,b"', { target: '/a,b' }],
  ];
  for (const [spec, want] of ok) it(spec, () => expect(parseRunMount(spec, (w) => w)).toMatchObject(want));
  const bad: [string, string][] = [
    ['type=nfs', 'unsupported mount type "nfs"'],
    ['type=bnid', 'unsupported mount type "bnid" (did you mean bind?)'],
    ['type=cache,sharing=all', 'unsupported sharing value "all"'],
    ['type=bind,mode=0700', 'mode not allowed for "bind" type mounts'],
    ['type=tmpfs,uid=1', 'uid not allowed for "tmpfs" type mounts'],
    ['type=cache,size=1m', "unexpected key 'size' for mount type 'cache'"],
    ['type=bind,required', "unexpected key 'required' for mount type 'bind'"],
    ['type=secret', 'invalid secret mount. one of source, target required'],
    ['type=secret,source=a,id=b', "both source and id can't be set"],
    ['type=bind,sharing=locked', 'invalid cache sharing set for bind mount'],
    ['type=cache,mode=999', 'invalid value 999 for mode'],
    ['type=cache,uid=-1', 'invalid value -1 for uid'],
    ['type=bind,ro=maybe', 'invalid value for ro: maybe'],
    ['type=bind,bogus', "invalid field 'bogus' must be a key=value pair"],
    ['type=bind,tagret=/x', "unexpected key 'tagret' in 'tagret=/x' (did you mean target?)"],
  ];
  for (const [spec, message] of bad) it(`${spec} fails`, () => expect(() => parseRunMount(spec, (w) => w)).toThrow(message));
  it('without an expander only from= is checked', () => {
    expect(() => parseRunMount('type=$T,from=$S')).toThrow("'from' doesn't support variable expansion");
    expect(() => parseRunMount('type=$T,from=a$')).not.toThrow();
  });
  it('in a Dockerfile: static mounts are typed now, variable ones at build time', () => {
    const [a, b] = body('RUN --mount=type=cache,target=/c true\nRUN --mount=type=cache,target=$D true') as RunInstruction[];
    expect(a.mounts).toEqual([{ type: 'cache', target: '/c', readonly: false, required: false }]);
    expect(b.mounts).toBeUndefined();
    expect(b.mountSpecs).toEqual(['type=cache,target=$D']);
  });
  it('csv and sizes', () => {
    expect(csvFields('a,"b,c",""', 'mounts')).toEqual(['a', 'b,c', '']);
    expect(csvFields('"say ""hi"""', 'mounts')).toEqual(['say "hi"']);
    expect(() => csvFields('"open', 'mounts')).toThrow('failed to parse csv mounts');
    expect(ramInBytes('64m')).toBe(64 * 1024 * 1024);
    expect(ramInBytes('1.5k')).toBe(1536);
    expect(ramInBytes('10 MiB')).toBe(10 * 1024 * 1024);
    expect(ramInBytes('12')).toBe(12);
    expect(ramInBytes('1x')).toBeUndefined();
  });
});

describe('RUN --device', () => {
  it('name and required', () => {
    expect(parseRunDevice('vendor.com/gpu=all')).toEqual({ name: 'vendor.com/gpu=all', required: false });
    expect(parseRunDevice('name=x,required')).toEqual({ name: 'x', required: true });
    expect(parseRunDevice('x,required=false')).toEqual({ name: 'x', required: false });
    expect(() => parseRunDevice('x,name=y')).toThrow('device name already set to x');
    expect(() => parseRunDevice('x,nmae=y')).toThrow("unexpected key 'nmae' in 'nmae=y' (did you mean name?)");
  });
});

describe('HEALTHCHECK durations (Go time.ParseDuration)', () => {
  const ok: [string, number][] = [
    ['0', 0],
    ['5s', 5e9],
    ['1m30s', 90e9],
    ['1.5h', 5400e9],
    ['300ms', 3e8],
    ['2us', 2000],
    ['2µs', 2000],
    ['+1s', 1e9],
    ['.5s', 5e8],
  ];
  for (const [text, ns] of ok) it(text, () => expect(parseGoDuration(text)).toBe(ns));
  it('errors as Go words them', () => {
    expect(() => parseGoDuration('5')).toThrow('time: missing unit in duration "5"');
    expect(() => parseGoDuration('5y')).toThrow('time: unknown unit "y" in duration "5y"');
    expect(() => parseGoDuration('')).toThrow('time: invalid duration ""');
    expect(() => parseGoDuration('.s')).toThrow('time: invalid duration ".s"');
  });
  it('intervals must be 0 or at least 1ms; retries not negative', () => {
    expect(body('HEALTHCHECK --interval=0s --timeout=1ms CMD x')[0]).toMatchObject({ health: { interval: 0, timeout: 1e6 } });
    expect(errorOf('FROM a\nHEALTHCHECK --start-period=1us CMD x')).toBe('Dockerfile:2: Interval "start-period" cannot be less than 1ms');
    expect(errorOf('FROM a\nHEALTHCHECK --retries=x CMD x')).toBe('Dockerfile:2: strconv.ParseInt: parsing "x": invalid syntax');
    expect(body('HEALTHCHECK --retries=0 CMD x')[0]).toMatchObject({ health: { retries: 0 } });
  });
});

describe('planRun', () => {
  const run = (text: string) => body(text)[0] as RunInstruction;
  it('exec and shell forms', () => {
    expect(planRun(run('RUN ["ls", "-l"]'))).toEqual({ argv: ['ls', '-l'], files: [] });
    expect(planRun(run('RUN ls -l'), ['/bin/bash', '-c'])).toEqual({ argv: ['/bin/bash', '-c', 'ls -l'], files: [] });
  });
  it('a lone heredoc is the script, chomped if asked', () => {
    expect(planRun(run('RUN <<-EOF\n\techo a\n\techo b\n\tEOF'))).toEqual({ argv: ['/bin/sh', '-c', 'echo a\necho b\n'], files: [] });
  });
  it('a lone heredoc with #! runs from /dev/pipes', () => {
    expect(planRun(run('RUN <<script.py\n#!/usr/bin/env python3\nprint(1)\nscript.py'))).toEqual({
      argv: ['/bin/sh', '-c', '/dev/pipes/script.py'],
      files: [{ path: '/dev/pipes/script.py', content: '#!/usr/bin/env python3\nprint(1)\n', mode: 0o755 }],
    });
  });
  it('anything else goes to the shell with the bodies after the line', () => {
    expect(planRun(run('RUN <<EOF python3\nprint(1)\nEOF'))).toEqual({ argv: ['/bin/sh', '-c', 'EOF python3'.replace('EOF', '<<EOF') + '\nprint(1)\nEOF'], files: [] });
    expect(planRun(run('RUN cat <<A <<B\na\nA\nb\nB')).argv[2]).toBe('cat <<A <<B\na\nA\nb\nB');
  });
});
