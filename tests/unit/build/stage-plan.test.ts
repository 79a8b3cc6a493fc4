// Which stages run for a target, and the `[stage i/n]` labels BuildKit gives their steps.
import { describe, expect, it } from 'vitest';
import { planStages, stepLabel } from '../../../src/image/build/stage-plan.js';
import { stepName, summarizeHeredoc } from '../../../src/image/build/step-name.js';
import { unusedBuildArgs } from '../../../src/image/build/build-args.js';
import { buildContext, parseDockerfile, startStage } from '../../../src/image/dockerfile/index.js';

function plan(text: string, target?: string, buildArgs: Record<string, string> = {}) {
  const df = parseDockerfile(text);
  return planStages(df, buildContext(df, { buildArgs, target }), target);
}

const MULTI = `ARG BASE=busybox
FROM $BASE AS deps
RUN a
FROM scratch AS unused
COPY x /x
FROM deps AS build
WORKDIR /src
COPY --from=tools /bin/t /bin/
RUN b
FROM busybox AS tools
FROM busybox
COPY --from=build /out /out
`;

describe('planStages', () => {
  it('builds only what the target reaches (FROM stage, COPY --from), in file order', () => {
    const p = plan(MULTI);
    expect(p.target).toBe(4);
    expect(p.order).toEqual([0, 2, 3, 4]);
    expect(plan(MULTI, 'deps').order).toEqual([0]);
    expect(plan(MULTI, 'unused').order).toEqual([1]);
  });
  it('labels stages by name or stage-N and counts FROM image, RUN, COPY, ADD, WORKDIR', () => {
    const p = plan(MULTI);
    expect(p.stages.map((s) => [s.label, s.total, s.base.kind])).toEqual([
      ['deps', 2, 'image'],
      ['unused', 1, 'scratch'],
      ['build', 3, 'stage'],
      ['tools', 1, 'image'],
      ['stage-4', 2, 'image'],
    ]);
    expect(p.stages[0].base).toEqual({ kind: 'image', ref: 'busybox' });
  });
  it('a lone stage has no label, unless COPY --from names an image', () => {
    expect(plan('FROM busybox\nRUN x\n').stages[0].label).toBe('');
    expect(plan('FROM busybox\nCOPY --from=alpine /x /x\n').stages[0].label).toBe('stage-0');
  });
  it('explains an unknown target', () => {
    expect(() => plan(MULTI, 'biuld')).toThrow('target stage "biuld" could not be found (did you mean build?)');
    expect(() => plan(MULTI, 'nothing-like-it')).toThrow(/^target stage "nothing-like-it" could not be found$/);
  });
});

describe('labels and names', () => {
  it('pads the index to the width of the total', () => {
    expect(stepLabel('', 2, 3)).toBe('[2/3] ');
    expect(stepLabel('build', 3, 12)).toBe('[build  3/12] ');
    expect(stepLabel('x', 1, 0)).toBe('');
  });
  it('names a step by its text, variables expanded, keyword upper-cased', () => {
    const df = parseDockerfile('FROM x\nrun echo $A ${B} \\\n  "$A"\n');
    const scope = startStage({ imageEnv: ['A=1'] });
    expect(stepName(df.stages[0].instructions[0], scope, '\\')).toBe('RUN echo 1 ${B}   "1"');
  });
  it('adds the first line of a RUN heredoc', () => {
    expect(summarizeHeredoc('\n  echo a\n  echo b\n')).toBe('echo a...');
    expect(summarizeHeredoc('echo a\n')).toBe('echo a');
    const df = parseDockerfile('FROM x\nRUN <<EOF\necho one\necho two\nEOF\n');
    expect(stepName(df.stages[0].instructions[0], startStage(), '\\')).toBe('RUN <<EOF (echo one...)');
  });
});

describe('unusedBuildArgs', () => {
  it('reports arguments no ARG declared, ignoring the predefined ones', () => {
    const df = parseDockerfile('ARG G\nFROM x\nARG S\n');
    const args = { G: '1', S: '2', X: '3', http_proxy: 'p', TARGETARCH: 'a', SOURCE_DATE_EPOCH: '0', BUILDKIT_INLINE_CACHE: '1', A: '' };
    expect(unusedBuildArgs(args, df, new Set(['S']))).toEqual(['A', 'X']);
  });
});

describe('FROM --platform', () => {
  it('accepts the build platform, written or through $BUILDPLATFORM, and refuses others', () => {
    expect(plan('FROM --platform=$BUILDPLATFORM busybox\n').order).toEqual([0]);
    expect(plan('FROM --platform=linux/amd64 busybox\n').order).toEqual([0]);
    expect(() => plan('FROM --platform=linux/s390x busybox\n')).toThrow('Dockerfile:1: FROM --platform=linux/s390x: minidock builds for the platform it runs on only (linux/amd64)');
  });
});
