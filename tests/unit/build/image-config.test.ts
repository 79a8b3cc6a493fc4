// Metadata instructions into the image config and BuildKit's history texts.
import { describe, expect, it } from 'vitest';
import {
  applyMetadata,
  nextFacts,
  normalizeWorkdir,
  scratchConfig,
  stageStartConfig,
  type StageFacts,
} from '../../../src/image/build/image-config.js';
import { copyHistory, goDuration, runHistory } from '../../../src/image/build/history.js';
import { parsePortSpecs } from '../../../src/image/build/ports.js';
import { buildContext, expandInstruction, parseDockerfile, startStage, type StageScope } from '../../../src/image/dockerfile/index.js';
import type { ImageConfig } from '../../../src/image/oci.js';

const CREATED = '2024-01-02T03:04:05Z';

/** Run the metadata instructions of a one-stage Dockerfile over a busybox-like config. */
function apply(text: string, base?: ImageConfig, buildArgs: Record<string, string> = {}): { image: ImageConfig; facts: StageFacts; scope: StageScope } {
  const df = parseDockerfile(text);
  const ctx = buildContext(df, { buildArgs });
  const start: ImageConfig = base ?? { architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/bin'], Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: [] }, history: [] };
  let scope = startStage({ imageEnv: start.config?.Env ?? [] });
  let image = stageStartConfig(start, scope);
  let facts: StageFacts = { cmdSet: false, args: [] };
  for (const inst of df.stages[0].instructions) {
    const r = expandInstruction(inst, scope, ctx);
    image = applyMetadata(image, r.instruction, r.scope, facts, CREATED);
    facts = nextFacts(facts, r.instruction);
    scope = r.scope;
  }
  return { image, facts, scope };
}

const createdBy = (img: ImageConfig) => (img.history ?? []).map((h) => h.created_by);

describe('applyMetadata', () => {
  it('ENV, LABEL, USER, EXPOSE, VOLUME, STOPSIGNAL, SHELL, MAINTAINER', () => {
    const { image } = apply(
      'FROM x\nENV A=1 B="two words"\nLABEL l=v\nUSER app:staff\nEXPOSE 80 53/udp 8000-8001\nVOLUME /data\nSTOPSIGNAL SIGQUIT\nSHELL ["/bin/bash", "-c"]\nMAINTAINER me\n',
    );
    expect(image.config).toMatchObject({
      Env: ['PATH=/bin', 'A=1', 'B=two words'],
      Labels: { l: 'v' },
      User: 'app:staff',
      ExposedPorts: { '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {} },
      Volumes: { '/data': {} },
      StopSignal: 'SIGQUIT',
      Shell: ['/bin/bash', '-c'],
    });
    expect(image.author).toBe('me');
    expect(createdBy(image)).toEqual([
      'ENV A=1 B=two words',
      'LABEL l=v',
      'USER app:staff',
      'EXPOSE [53/udp 80/tcp 8000/tcp 8001/tcp]',
      'VOLUME [/data]',
      'STOPSIGNAL SIGQUIT',
      'SHELL [/bin/bash -c]',
      'MAINTAINER me',
    ]);
    expect(image.history?.every((h) => h.empty_layer === true && h.created === CREATED && h.comment === 'buildkit.dockerfile.v0')).toBe(true);
  });

  it('CMD and ENTRYPOINT in shell form use the SHELL; ENTRYPOINT clears an inherited CMD', () => {
    const { image } = apply('FROM x\nSHELL ["/bin/ash", "-eo", "pipefail", "-c"]\nENTRYPOINT run "$X"\n');
    expect(image.config?.Entrypoint).toEqual(['/bin/ash', '-eo', 'pipefail', '-c', 'run "$X"']);
    expect(image.config?.Cmd).toBeNull();
    expect(createdBy(image)[1]).toBe('ENTRYPOINT ["/bin/ash" "-eo" "pipefail" "-c" "run \\"$X\\""]');
  });

  it('ENTRYPOINT keeps a CMD set in the same stage', () => {
    const { image, facts } = apply('FROM x\nCMD ["a"]\nENTRYPOINT ["e"]\n');
    expect(image.config).toMatchObject({ Cmd: ['a'], Entrypoint: ['e'], ArgsEscaped: true });
    expect(facts.cmdSet).toBe(true);
    expect(createdBy(image)).toEqual(['CMD ["a"]', 'ENTRYPOINT ["e"]']);
  });

  it('ARG records the value in force; ONBUILD goes to the config only', () => {
    const { image, facts } = apply('FROM x\nARG A=1 B\nARG C\nONBUILD RUN echo hi\n', undefined, { C: 'c' });
    expect(createdBy(image)).toEqual(['ARG A=1 B', 'ARG C=c']);
    expect(facts.args).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: undefined }, { name: 'C', value: 'c' }]);
    expect(image.config?.OnBuild).toEqual(['RUN echo hi']);
  });

  it('HEALTHCHECK keeps only set durations and prints Go values', () => {
    const { image } = apply('FROM x\nHEALTHCHECK --interval=30s --retries=3 CMD wget -q localhost\n');
    expect(image.config?.Healthcheck).toEqual({ Test: ['CMD-SHELL', 'wget -q localhost'], Interval: 30e9, Retries: 3 });
    expect(createdBy(image)).toEqual(['HEALTHCHECK {Test:[CMD-SHELL wget -q localhost] Interval:30s Timeout:0s StartPeriod:0s StartInterval:0s Retries:3}']);
  });

  it('refuses bad values as BuildKit does', () => {
    expect(() => apply('FROM x\nSTOPSIGNAL NOPE\n')).toThrow('Invalid signal: NOPE');
    expect(() => apply('FROM x\nEXPOSE 80/xyz\n')).toThrow('invalid proto: xyz');
  });
});

describe('stage start', () => {
  it('scratch has PATH and WORKDIR / as BuildKit emptyImage', () => {
    expect(scratchConfig({ os: 'linux', architecture: 'amd64' }).config).toEqual({ Env: [expect.stringMatching(/^PATH=/)], WorkingDir: '/' });
  });
  it('a base without PATH gets it; its created time and ONBUILD triggers are not inherited', () => {
    const base: ImageConfig = { architecture: 'amd64', os: 'linux', created: '2020-01-01T00:00:00Z', config: { Env: ['A=1'], OnBuild: ['RUN x'] }, rootfs: { type: 'layers', diff_ids: [] } };
    const started = stageStartConfig(base, startStage({ imageEnv: ['A=1'] }));
    expect(started.created).toBeUndefined();
    expect(started.config?.OnBuild).toBeUndefined();
    expect(started.config?.Env).toEqual(['A=1', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
  });
});

describe('history texts', () => {
  it('RUN lists the stage ARGs with their current values (runCommandString)', () => {
    const env = new Map([['A', 'from-env'], ['PATH', '/bin']]);
    expect(runHistory(['/bin/sh', '-c', 'make'], [], env)).toBe('RUN /bin/sh -c make # buildkit');
    expect(runHistory(['/bin/sh', '-c', 'make'], [{ name: 'A', value: '1' }, { name: 'B' }, { name: 'A', value: '2' }], env)).toBe('RUN |2 A=from-env B= /bin/sh -c make # buildkit');
  });
  it('COPY and ADD list flags, sources, heredocs and the destination', () => {
    expect(copyHistory({ command: 'COPY', paths: ['a', 'b'], heredocs: [], dest: '/d/' })).toBe('COPY a b /d/ # buildkit');
    expect(copyHistory({ command: 'ADD', chown: 'app', chmod: '755', paths: [], heredocs: ['EOF'], dest: '/f' })).toBe('ADD --chown=app --chmod=755 <<EOF /f # buildkit');
  });
  it('Go durations', () => {
    expect([0, 5e8, 30e9, 90e9, 3600e9 + 1.5e9, 1500].map(goDuration)).toEqual(['0s', '500ms', '30s', '1m30s', '1h0m1.5s', '1.5µs']);
  });
});

describe('WORKDIR and EXPOSE parsing', () => {
  it('normalizes WORKDIR against the current one', () => {
    expect(normalizeWorkdir(undefined, 'app')).toBe('/app');
    expect(normalizeWorkdir('/app', 'src/../lib/')).toBe('/app/lib');
    expect(normalizeWorkdir('/app', '/abs')).toBe('/abs');
    expect(normalizeWorkdir('/app', '..')).toBe('/');
  });
  it('expands port ranges and host parts', () => {
    expect(parsePortSpecs(['127.0.0.1:8080:80/TCP', '1000-1001/udp'])).toEqual(['80/tcp', '1000/udp', '1001/udp']);
    expect(() => parsePortSpecs(['80-79'])).toThrow('invalid containerPort: 80-79');
  });
});
