// Build-time expansion: which instructions expand, ARG/ENV scope and precedence, global and
// automatic ARGs, proxy args, and the variables each step used or could not resolve.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PATH,
  type ExpandedInstruction,
  type StageScope,
  envList,
  expandFrom,
  expandInstruction,
  startStage,
} from '../../../src/image/dockerfile/expand.js';
import { type BuildContextOptions, buildContext, proxyEnv } from '../../../src/image/dockerfile/global-args.js';
import { parseDockerfile } from '../../../src/image/dockerfile/instructions.js';
import type { Instruction } from '../../../src/image/dockerfile/types.js';

/** Run a stage the way the builder does; returns each step's expansion and the final scope. */
function run(text: string, opts: BuildContextOptions & { imageEnv?: string[]; stage?: number } = {}) {
  const df = parseDockerfile(text);
  const ctx = buildContext(df, opts);
  const stage = df.stages[opts.stage ?? 0];
  let scope: StageScope = startStage({ imageEnv: opts.imageEnv });
  const steps: ExpandedInstruction[] = [];
  for (const inst of stage.instructions) {
    const r = expandInstruction(inst, scope, ctx);
    steps.push(r);
    scope = r.scope;
  }
  return { df, ctx, steps, scope, from: expandFrom(stage, ctx), insts: steps.map((s) => s.instruction) };
}

function only<K extends Instruction['kind']>(inst: Instruction, kind: K): Extract<Instruction, { kind: K }> {
  expect(inst.kind).toBe(kind);
  return inst as Extract<Instruction, { kind: K }>;
}

const envOf = (scope: StageScope) => Object.fromEntries(scope.env);

describe('which instructions expand', () => {
  it('expands ADD COPY ENV EXPOSE LABEL STOPSIGNAL USER VOLUME WORKDIR, not RUN CMD ENTRYPOINT', () => {
    const { insts } = run(`FROM x
ENV D=/data P=80 U=app S=TERM
ADD --chown=$U:$U --chmod=644 --checksum=$D src-$U $D/
COPY --chown=$U ["src/$U", "$D/x y"]
EXPOSE $P $P/udp
LABEL "$U.key"=$D
STOPSIGNAL SIG$S
USER \${U}:\${U}
VOLUME $D "/logs/$U"
WORKDIR $D
RUN echo $D
CMD echo $D
ENTRYPOINT ["echo", "$D"]
SHELL ["/bin/sh", "-c", "$D"]
HEALTHCHECK CMD echo $D
ONBUILD RUN echo $D
MAINTAINER $U`);
    expect(only(insts[1], 'add')).toMatchObject({ chown: 'app:app', chmod: '644', checksum: '/data', sources: [{ path: 'src-app' }], dest: '/data/' });
    expect(only(insts[2], 'copy')).toMatchObject({ chown: 'app', sources: [{ path: 'src/app' }], dest: '/data/x y' });
    expect(only(insts[3], 'expose').ports).toEqual(['80', '80/udp']);
    expect(only(insts[4], 'label').pairs).toEqual([{ key: 'app.key', value: '/data', legacy: false }]);
    expect(only(insts[5], 'stopsignal').signal).toBe('SIGTERM');
    expect(only(insts[6], 'user').user).toBe('app:app');
    expect(only(insts[7], 'volume').paths).toEqual(['/data', '/logs/app']);
    expect(only(insts[8], 'workdir').path).toBe('/data');
    expect(only(insts[9], 'run').command).toEqual({ form: 'shell', script: 'echo $D' });
    expect(only(insts[10], 'cmd').command).toEqual({ form: 'shell', script: 'echo $D' });
    expect(only(insts[11], 'entrypoint').command).toEqual({ form: 'exec', argv: ['echo', '$D'] });
    expect(only(insts[12], 'shell').shell).toEqual(['/bin/sh', '-c', '$D']);
    expect(only(insts[13], 'healthcheck').health.test).toEqual(['CMD-SHELL', 'echo $D']);
    expect(only(insts[14], 'onbuild').expression).toBe('RUN echo $D');
    expect(only(insts[15], 'maintainer').maintainer).toBe('$U');
  });
  it('shell-form COPY splits at blanks before quotes are seen, as BuildKit does', () => {
    expect(() => run('FROM x\nCOPY "a b" /x')).toThrow('Dockerfile:2: failed to process "\\"a": unexpected end of statement');
  });
  it('EXPOSE re-splits an expanded word', () => {
    const { insts } = run('FROM x\nENV PORTS="80 443"\nEXPOSE $PORTS');
    expect(only(insts[1], 'expose').ports).toEqual(['80', '443']);
  });
  it('ENV and LABEL remove quotes and escapes', () => {
    const { insts } = run('FROM x\nENV A="a b" B=c\\ d C=\'$A\'\nLABEL "k"="v w"');
    expect(only(insts[0], 'env').pairs.map((p) => [p.key, p.value])).toEqual([['A', 'a b'], ['B', 'c d'], ['C', '$A']]);
    expect(only(insts[1], 'label').pairs[0]).toMatchObject({ key: 'k', value: 'v w' });
  });
  it('RUN --mount values expand with the stage env', () => {
    const { insts } = run('FROM x\nARG CACHE=/root/.cache\nRUN --mount=type=cache,target=$CACHE,id=${CACHE##*/} true');
    expect(only(insts[1], 'run').mounts).toEqual([{ type: 'cache', target: '/root/.cache', id: '.cache', readonly: false, required: false }]);
  });
  it('COPY heredoc bodies: variables and backslashes, quotes untouched; quoted delimiter raw', () => {
    const { insts } = run('FROM x\nENV N=me\nCOPY <<EOF <<"RAW" /d/\n"$N" \'$N\' \\$N a\\nb\nEOF\n$N\nRAW');
    const src = only(insts[1], 'copy').sources;
    expect(src[0]).toMatchObject({ kind: 'heredoc', content: `"me" 'me' $N anb\n` });
    expect(src[1]).toMatchObject({ kind: 'heredoc', content: '$N\n' });
  });
  it('the escape directive applies to expansion', () => {
    const { insts } = run('# escape=`\nFROM x\nENV A=1\nWORKDIR C:\\dir\\`$A\\$A');
    expect(only(insts[1], 'workdir').path).toBe('C:\\dir\\$A\\1');
  });
  it('--chmod is checked after expansion', () => {
    expect(() => run('FROM x\nARG M=0755\nCOPY --chmod=$M a b')).not.toThrow();
    expect(() => run('FROM x\nCOPY --chmod=u+x,g-w a b')).not.toThrow();
    expect(() => run('FROM x\nARG M=64a\nCOPY --chmod=$M a b')).toThrow(
      "Dockerfile:3: invalid chmod parameter: '64a'. it should be octal string and between 0 and 07777",
    );
    expect(() => run('FROM x\nCOPY --chmod=17777 a b')).toThrow('invalid chmod parameter');
  });
  it('errors name the instruction line', () => {
    expect(() => run('FROM x\n\nWORKDIR ${NOPE:?must be set}')).toThrow('Dockerfile:3: failed to process "${NOPE:?must be set}": NOPE: must be set');
  });
});

describe('ARG and ENV scope and precedence', () => {
  it('ENV sees the environment before the instruction (ENV a=1 b=$a)', () => {
    const { scope } = run('FROM x\nENV a=1\nENV a=2 b=$a');
    expect(envOf(scope)).toMatchObject({ a: '2', b: '1' });
  });
  it('ARG declarations see the ones before them', () => {
    const { scope } = run('FROM x\nARG a=1 b=$a');
    expect(envOf(scope)).toMatchObject({ a: '1', b: '1' });
  });
  it('--build-arg overrides a default; the default is then not evaluated', () => {
    const { scope } = run('FROM x\nARG V=${NOPE:?fails}', { buildArgs: { V: 'cli' } });
    expect(envOf(scope).V).toBe('cli');
  });
  it('a build arg reaches nothing without an ARG', () => {
    const { scope } = run('FROM x\nENV X=$V', { buildArgs: { V: 'cli' } });
    expect(envOf(scope).X).toBe('');
  });
  it('an ENV after an ARG overrides it (docs example)', () => {
    const { scope, insts } = run('FROM x\nARG CONT_IMG_VER\nENV CONT_IMG_VER=v1.0.0\nWORKDIR /$CONT_IMG_VER', { buildArgs: { CONT_IMG_VER: 'v2.0.1' } });
    expect(envOf(scope).CONT_IMG_VER).toBe('v1.0.0');
    expect(only(insts[2], 'workdir').path).toBe('/v1.0.0');
  });
  it('ENV with an ARG default (docs example)', () => {
    const text = 'FROM x\nARG CONT_IMG_VER\nENV CONT_IMG_VER=${CONT_IMG_VER:-v1.0.0}';
    expect(envOf(run(text).scope).CONT_IMG_VER).toBe('v1.0.0');
    expect(envOf(run(text, { buildArgs: { CONT_IMG_VER: 'v2' } }).scope).CONT_IMG_VER).toBe('v2');
  });
  it('an ARG after an ENV re-sets it for RUN but not in the image config', () => {
    const { scope } = run('FROM x\nENV V=env\nARG V=arg');
    expect(scope.env.get('V')).toBe('arg');
    expect(scope.configEnv.get('V')).toBe('env');
  });
  it('an ARG without value (and no build arg) does not shadow the image env', () => {
    const { scope } = run('FROM x\nARG HOME', { imageEnv: ['HOME=/root'] });
    expect(scope.env.get('HOME')).toBe('/root');
    expect(scope.args.has('HOME')).toBe(true);
    expect(scope.args.get('HOME')).toBeUndefined();
  });
  it('a redefined name moves to the end of the RUN env, keeps its place in the config', () => {
    const { scope } = run('FROM x\nENV A=1 B=2\nENV A=3', { imageEnv: ['PATH=/bin'] });
    expect(envList(scope.env)).toEqual(['PATH=/bin', 'B=2', 'A=3']);
    expect([...scope.configEnv.keys()]).toEqual(['PATH', 'A', 'B']);
  });
  it('PATH defaults when the base image has none', () => {
    expect(startStage().env.get('PATH')).toBe(DEFAULT_PATH);
    expect(startStage({ imageEnv: ['PATH=/x', 'A'] }).env).toEqual(new Map([['PATH', '/x'], ['A', '']]));
  });
  it('a stage built FROM another starts with its scope', () => {
    const parent = run('FROM x\nARG A=1\nENV B=2').scope;
    expect(startStage({ parent, imageEnv: ['IGNORED=1'] })).toBe(parent);
  });
});

describe('global ARGs', () => {
  const text = 'ARG REG=docker.io\nARG IMG=$REG/library/alpine\nARG TAG\nFROM ${IMG}:${TAG:-latest} AS base\nARG IMG\nARG TAG\nWORKDIR /$IMG/$TAG/$REG';
  it('are usable in FROM; defaults use earlier globals', () => {
    expect(run(text).from).toMatchObject({ base: 'docker.io/library/alpine:latest', used: ['IMG', 'TAG'], unresolved: [] });
  });
  it('are visible in a stage only when re-declared', () => {
    const { insts, steps } = run(text, { buildArgs: { TAG: '3' } });
    expect(only(insts[2], 'workdir').path).toBe('/docker.io/library/alpine/3/');
    expect(steps[2]).toMatchObject({ used: ['IMG', 'TAG'], unresolved: ['REG'], undeclared: ['REG'] });
  });
  it('--build-arg overrides a global', () => {
    expect(run(text, { buildArgs: { IMG: 'busybox', TAG: '1' } }).from.base).toBe('busybox:1');
  });
  it('automatic platform args', () => {
    const opts = { buildPlatform: { os: 'linux', architecture: 'amd64' }, targetPlatform: { os: 'linux', architecture: 'arm', variant: 'v7' } };
    const df = 'FROM --platform=$BUILDPLATFORM x AS build\nARG TARGETARCH TARGETVARIANT TARGETPLATFORM BUILDOS TARGETSTAGE\nWORKDIR /$TARGETARCH/$TARGETVARIANT/$TARGETPLATFORM/$BUILDOS/$TARGETSTAGE';
    const r = run(df, opts);
    expect(r.from.platform).toBe('linux/amd64');
    expect(only(r.insts[1], 'workdir').path).toBe('/arm/v7/linux/arm/v7/linux/build');
    expect(run(df, { ...opts, buildArgs: { TARGETARCH: 'riscv64' } }).scope.env.get('TARGETARCH')).toBe('riscv64');
  });
  it('a blank FROM is an error on its line', () => {
    expect(() => run('ARG IMG\nFROM $IMG')).toThrow('Dockerfile:2: base name ($IMG) should not be blank');
    expect(() => run('FROM --platform=$P x')).toThrow('Dockerfile:1: empty platform value from expression $P');
  });
  it('a global default that fails names its line', () => {
    expect(() => buildContext(parseDockerfile('ARG A=${B:?x}\nFROM y'))).toThrow('Dockerfile:1: failed to process');
  });
});

describe('what a step referenced', () => {
  it('used, unresolved and undeclared', () => {
    const { steps } = run('FROM x\nARG DECLARED\nCOPY $DECLARED/$MISSING/$HOME /', { imageEnv: ['HOME=/root'] });
    expect(steps[1]).toMatchObject({ used: ['HOME'], unresolved: ['DECLARED', 'MISSING'], undeclared: ['MISSING'] });
  });
  it('an ARG default referencing itself is undeclared at that point', () => {
    expect(run('FROM x\nARG A=$A').steps[0]).toMatchObject({ unresolved: ['A'], undeclared: ['A'] });
  });
  it('EXPOSE reports nothing undeclared (BuildKit does not check it)', () => {
    expect(run('FROM x\nEXPOSE $P 80').steps[0]).toMatchObject({ unresolved: ['P'], undeclared: [] });
  });
  it('RUN commands are never read, mounts are', () => {
    expect(run('FROM x\nRUN --mount=type=cache,target=/$T echo $X').steps[0]).toMatchObject({ unresolved: ['T'] });
  });
});

describe('proxy args', () => {
  it('reach RUN in both cases without an ARG', () => {
    expect(proxyEnv({ HTTP_PROXY: 'http://p:3128', no_proxy: 'localhost', OTHER: 'x', all_proxy: '' })).toEqual([
      'HTTP_PROXY=http://p:3128',
      'http_proxy=http://p:3128',
      'NO_PROXY=localhost',
      'no_proxy=localhost',
    ]);
  });
  it('are not in the stage env unless declared', () => {
    expect(run('FROM x\nRUN true', { buildArgs: { HTTP_PROXY: 'p' } }).scope.env.has('HTTP_PROXY')).toBe(false);
    expect(run('FROM x\nARG HTTP_PROXY', { buildArgs: { HTTP_PROXY: 'p' } }).scope.env.get('HTTP_PROXY')).toBe('p');
  });
});
