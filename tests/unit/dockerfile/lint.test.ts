// Every `build --check` rule with a Dockerfile that triggers it and one that does not; cases
// follow BuildKit's frontend/dockerfile/dockerfile_lint_test.go.
import { describe, expect, it } from 'vitest';
import { lint, lintReport, type LintOptions } from '../../../src/image/dockerfile/lint.js';
import { checkOptions } from '../../../src/image/dockerfile/lint-config.js';
import { RULES, ruleUrl } from '../../../src/image/dockerfile/lint-rules.js';

/** "line Rule: message" per finding. */
function check(text: string, opts?: LintOptions): string[] {
  return lint(text, opts).map((f) => `${f.line} ${f.rule}: ${f.message}`);
}

describe('findings', () => {
  it('carry the description and a docs URL', () => {
    const [f] = lint('FROM scratch\nMAINTAINER me@example.org\n');
    expect(f).toEqual({
      rule: 'MaintainerDeprecated',
      line: 2,
      endLine: 2,
      message: 'Maintainer instruction is deprecated in favor of using label',
      description: 'The MAINTAINER instruction is deprecated, use a label instead to define an image author',
      url: 'https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/',
    });
  });
  it('URLs follow BuildKit\'s form for every rule', () => {
    expect(ruleUrl('JSONArgsRecommended')).toBe('https://docs.docker.com/go/dockerfile/rule/json-args-recommended/');
    expect(ruleUrl('FromPlatformFlagConstDisallowed')).toBe('https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/');
    for (const rule of Object.keys(RULES)) expect(ruleUrl(rule as keyof typeof RULES)).toMatch(/^https:\/\/docs\.docker\.com\/go\/dockerfile\/rule\/[a-z-]+\/$/);
  });
  it('a clean Dockerfile has none', () => {
    expect(check('FROM alpine AS build\nARG V=1\nWORKDIR /src\nCOPY . .\nRUN make\nFROM scratch\nCOPY --from=build /src/out /\nCMD ["/out"]\n')).toEqual([]);
  });
});

describe('StageNameCasing and FromAsCasing', () => {
  it('positive', () => {
    expect(check('\n# warning: stage name should be lowercase\nFROM scratch AS BadStageName\n\nFROM scratch as base2\n\nFROM scratch AS base3\n')).toEqual([
      "3 StageNameCasing: Stage name 'BadStageName' should be lowercase",
      "5 FromAsCasing: 'as' and 'FROM' keywords' casing do not match",
    ]);
    expect(check('from scratch AS base\nfrom scratch as base2\n')).toEqual(["1 FromAsCasing: 'AS' and 'from' keywords' casing do not match"]);
  });
  it('negative', () => {
    expect(check('FROM scratch AS base\nFROM scratch AS b2\n')).toEqual([]);
    expect(check('from scratch as base\nfrom scratch as b2\n')).toEqual([]);
    // A mixed-case FROM is left to ConsistentInstructionCasing.
    expect(check('# check=skip=ConsistentInstructionCasing\nFrom scratch AS base\n')).toEqual([]);
  });
});

describe('NoEmptyContinuation', () => {
  it('positive, reported on the last line', () => {
    expect(check('\nFROM scratch\n# warning: empty continuation line\nCOPY Dockerfile \\\n\n.\nCOPY Dockerfile \\\n.\n')).toEqual([
      '6 NoEmptyContinuation: Empty continuation line',
    ]);
  });
  it('negative: comment lines are not empty', () => {
    expect(check('FROM scratch\nCOPY a \\\n# comment\n.\n')).toEqual([]);
  });
});

describe('ConsistentInstructionCasing', () => {
  it('positive', () => {
    expect(check('From scratch as base\nFROM scratch AS base2\n')).toEqual(["1 ConsistentInstructionCasing: Command 'From' should match the case of the command majority (uppercase)"]);
    expect(check('FROM scratch\ncopy Dockerfile /foo\nCOPY Dockerfile /bar\n')).toEqual([
      "2 ConsistentInstructionCasing: Command 'copy' should match the case of the command majority (uppercase)",
    ]);
    expect(check('frOM scratch as base\nfrom scratch as base2\n')).toEqual([
      "1 ConsistentInstructionCasing: Command 'frOM' should match the case of the command majority (lowercase)",
    ]);
    expect(check('FROM scratch\ncopy a /foo\ncopy a /bar\ncopy a /baz\n')).toEqual([
      "1 ConsistentInstructionCasing: Command 'FROM' should match the case of the command majority (lowercase)",
    ]);
  });
  it('negative', () => {
    expect(check('from scratch\ncopy a /foo\ncopy a /bar\n')).toEqual([]);
    expect(check("FROM alpine\nRUN <<'EOT'\nenv\nEOT\n")).toEqual([]);
  });
});

describe('DuplicateStageName and ReservedStageName', () => {
  it('positive', () => {
    expect(check('FROM scratch AS b\nFROM scratch AS b\n')).toEqual(['2 DuplicateStageName: Duplicate stage name "b", stage names should be unique']);
    expect(check('FROM scratch AS scratch\nFROM scratch AS context\n')).toEqual([
      '1 ReservedStageName: Stage name should not use the same name as reserved stage "scratch"',
      '2 ReservedStageName: Stage name should not use the same name as reserved stage "context"',
    ]);
  });
  it('negative', () => {
    expect(check('FROM scratch AS b1\nFROM scratch AS b2\nFROM scratch\nFROM scratch AS a\n')).toEqual([]);
  });
});

describe('JSONArgsRecommended', () => {
  it('positive', () => {
    expect(check('FROM scratch\nCMD mycommand\n')).toEqual(['2 JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals']);
    expect(check('FROM scratch\nENTRYPOINT mycommand\n')).toEqual([
      '2 JSONArgsRecommended: JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals',
    ]);
  });
  it('negative: JSON form, or a SHELL set here, in the parent stage or by the base image', () => {
    expect(check('FROM scratch\nCMD ["x"]\n')).toEqual([]);
    expect(check('FROM scratch\nSHELL ["/usr/bin/customshell"]\nENTRYPOINT mycommand\n')).toEqual([]);
    expect(check('FROM scratch AS base\nSHELL ["/usr/bin/customshell"]\n\nFROM base\nCMD mycommand\n')).toEqual([]);
    expect(check('FROM img\nCMD x\n', { baseImage: () => ({ shell: ['/bin/bash', '-c'] }) })).toEqual([]);
  });
});

describe('MaintainerDeprecated', () => {
  it('positive and negative', () => {
    expect(check('FROM scratch\nMAINTAINER me@example.org\n')).toEqual(['2 MaintainerDeprecated: Maintainer instruction is deprecated in favor of using label']);
    expect(check('FROM scratch\nLABEL org.opencontainers.image.authors="me@example.org"\n')).toEqual([]);
  });
});

describe('UndefinedArgInFrom', () => {
  it('reports before the build error it leads to', () => {
    const r = lintReport('\nFROM --platform=$BULIDPLATFORM scratch\nCOPY Dockerfile .\n');
    expect(r.findings.map((f) => `${f.line} ${f.message}`)).toEqual(["2 FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)"]);
    expect(r.error?.message).toBe('Dockerfile:2: empty platform value from expression $BULIDPLATFORM (did you mean BUILDPLATFORM?)');
  });
  it('a name that is not close to any', () => {
    expect(check('ARG tag=latest\nFROM busybox:${tag}${version} AS b\n')).toEqual(["2 UndefinedArgInFrom: FROM argument 'version' is not declared"]);
    const r = lintReport('ARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\n');
    expect(r.findings.map((f) => f.message)).toContain("FROM argument 'MYARCH' is not declared (did you mean MY_ARCH?)");
  });
  it('negative: declared globals and automatic platform args', () => {
    expect(check('ARG base=scratch\nFROM $base\n')).toEqual([]);
    expect(check('ARG BUILDPLATFORM=linux/amd64\nFROM --platform=$BUILDPLATFORM scratch\n')).toEqual([]);
    expect(check('FROM --platform=$BUILDPLATFORM scratch\n')).toEqual([]);
  });
});

describe('WorkdirRelativePath', () => {
  it('positive: the first WORKDIR of the chain is relative', () => {
    expect(check('FROM scratch\nWORKDIR app/\n')).toEqual(['2 WorkdirRelativePath: Relative workdir "app/" can have unexpected results if the base image changes']);
  });
  it('negative: an absolute WORKDIR earlier, in this or the parent stage; or after expansion', () => {
    expect(check('FROM scratch AS a\nWORKDIR /app\n\nFROM a AS b\nWORKDIR subdir/\n')).toEqual([]);
    expect(check('FROM scratch\nWORKDIR /app\nWORKDIR sub\n')).toEqual([]);
    expect(check('FROM scratch\nENV D=/srv\nWORKDIR $D\n')).toEqual([]);
  });
});

describe('UndefinedVar', () => {
  it('positive, with suggestions from the stage env and global ARGs', () => {
    expect(check('FROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n')).toEqual(["2 UndefinedVar: Usage of undefined variable '$foo'"]);
    expect(check('FROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\nARG DIR_CONFIG=config/\nCOPY $DIR_ASSET .\n')).toEqual([
      "5 UndefinedVar: Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)",
    ]);
    expect(check('FROM alpine\nENV PATH=$PAHT:/tmp/bin\n')).toEqual(["2 UndefinedVar: Usage of undefined variable '$PAHT' (did you mean $PATH?)"]);
    expect(check('FROM scratch AS first\nCOPY $foo .\n\nFROM scratch AS second\nCOPY $bar .\n')).toEqual([
      "2 UndefinedVar: Usage of undefined variable '$foo'",
      "5 UndefinedVar: Usage of undefined variable '$bar'",
    ]);
  });
  it('negative: declared ARGs (even without value), inherited ARGs, RUN commands, base image env', () => {
    expect(check('FROM scratch\nARG foo\nCOPY Dockerfile${foo} .\n')).toEqual([]);
    expect(check('FROM alpine AS base\nARG foo=Dockerfile\n\nFROM base\nCOPY $foo .\n')).toEqual([]);
    expect(check('FROM alpine\nRUN echo $PATH $whatever\n')).toEqual([]);
    expect(check('FROM img\nCOPY $JAVA_HOME/x /y\n', { baseImage: () => ({ env: ['JAVA_HOME=/opt/java'] }) })).toEqual([]);
    expect(check('FROM img\nCOPY $JAVA_HOME/x /y\n')).toEqual(["2 UndefinedVar: Usage of undefined variable '$JAVA_HOME'"]);
  });
});

describe('MultipleInstructionsDisallowed', () => {
  const msg = (cmd: string, line: number) =>
    `${line} MultipleInstructionsDisallowed: Multiple ${cmd} instructions should not be used in the same stage because only the last one will be used`;
  it('positive: reported on the instruction that is ignored', () => {
    expect(
      check('FROM scratch\nENTRYPOINT ["/myapp"]\nENTRYPOINT ["/myotherapp"]\nCMD ["/myapp"]\nCMD ["/myotherapp"]\nHEALTHCHECK CMD ["/myapp"]\nHEALTHCHECK CMD ["/myotherapp"]\n'),
    ).toEqual([msg('ENTRYPOINT', 2), msg('CMD', 4), msg('HEALTHCHECK', 6)]);
    expect(
      check('FROM scratch\nENTRYPOINT ["/myapp"]\nCMD ["/myapp"]\nHEALTHCHECK CMD ["/myapp"]\nCOPY <<EOF /a.txt\nHello, World!\nEOF\nENTRYPOINT ["/b"]\nCMD ["/b"]\nHEALTHCHECK CMD ["/b"]\n'),
    ).toEqual([msg('ENTRYPOINT', 2), msg('CMD', 3), msg('HEALTHCHECK', 4)]);
  });
  it('negative: once per stage, a child stage may override', () => {
    expect(check('FROM scratch AS a\nENTRYPOINT ["/myapp"]\nCMD ["/myapp"]\nHEALTHCHECK CMD ["/myapp"]\n\nFROM a AS b\nENTRYPOINT ["/b"]\nCMD ["/b"]\nHEALTHCHECK CMD ["/b"]\n')).toEqual([]);
  });
});

describe('LegacyKeyValueFormat', () => {
  it('positive', () => {
    expect(check('FROM scratch\nENV testkey value\nLABEL key value\n')).toEqual([
      '2 LegacyKeyValueFormat: "ENV key=value" should be used instead of legacy "ENV key value" format',
      '3 LegacyKeyValueFormat: "LABEL key=value" should be used instead of legacy "LABEL key value" format',
    ]);
  });
  it('negative, and unreachable stages are linted too', () => {
    expect(check('FROM scratch\nENV testkey=value\nLABEL key=value\n')).toEqual([]);
    expect(check('FROM scratch AS a\nFROM a AS b\nENV testkey value\nFROM a AS c\n')).toHaveLength(1);
  });
});

describe('RedundantTargetPlatform', () => {
  it('positive', () => {
    expect(check('FROM --platform=$TARGETPLATFORM scratch\n')).toEqual([
      '1 RedundantTargetPlatform: Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior',
    ]);
    expect(check('FROM --platform=${TARGETPLATFORM} scratch\n')).toEqual([
      '1 RedundantTargetPlatform: Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the default behavior',
    ]);
  });
  it('negative', () => {
    expect(check('FROM --platform=$BUILDPLATFORM scratch\n')).toEqual([]);
    expect(check('FROM --platform=${TARGETOS}/${TARGETARCH} scratch\n')).toEqual([]);
  });
});

describe('SecretsUsedInArgOrEnv', () => {
  it('positive (BuildKit\'s list)', () => {
    expect(
      check('FROM scratch\nARG SECRET_PASSPHRASE\nENV SUPER_Secret=foo\nENV password=bar secret=baz\nARG super_duper_secret_token=foo auth=bar\nENV apikey=bar sunflower=foo\nENV git_key=\n'),
    ).toEqual([
      '2 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ARG "SECRET_PASSPHRASE")',
      '3 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV "SUPER_Secret")',
      '4 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV "password")',
      '4 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV "secret")',
      '5 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ARG "auth")',
      '5 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ARG "super_duper_secret_token")',
      '6 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV "apikey")',
      '7 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV "git_key")',
    ]);
  });
  it('negative', () => {
    expect(check('FROM scratch\nARG KEYBOARD=us\nENV MONKEY=1 TOKENIZER=x sunflower=foo\n')).toEqual([]);
  });
});

describe('InvalidDefaultArgInFrom', () => {
  const msg = (base: string) => `Default value for ARG ${base} results in empty or invalid base image name`;
  it('positive, even when a --build-arg would fix it', () => {
    expect(check('ARG VERSION\nFROM busybox:$VERSION\n', { buildArgs: { VERSION: 'latest' } })).toEqual([`2 InvalidDefaultArgInFrom: ${msg('busybox:$VERSION')}`]);
    expect(check('ARG IMAGE\nFROM $IMAGE\n', { buildArgs: { IMAGE: 'busybox:latest' } })).toEqual([`2 InvalidDefaultArgInFrom: ${msg('$IMAGE')}`]);
    expect(check('ARG SFX="box:"\nFROM busy${SFX}\n', { buildArgs: { SFX: 'box:latest' } })).toEqual([`2 InvalidDefaultArgInFrom: ${msg('busy${SFX}')}`]);
  });
  it('negative', () => {
    expect(check('ARG VERSION="latest"\nFROM busybox:${VERSION}\n')).toEqual([]);
    expect(check('ARG BUSYBOX_VARIANT=""\nFROM busybox:stable${BUSYBOX_VARIANT}\n')).toEqual([]);
    expect(check('ARG BUSYBOX_VARIANT\nFROM busybox:stable${BUSYBOX_VARIANT}\n')).toEqual([]);
  });
});

describe('FromPlatformFlagConstDisallowed', () => {
  it('positive', () => {
    expect(check('FROM --platform=linux/amd64 scratch\n')).toEqual(['1 FromPlatformFlagConstDisallowed: FROM --platform flag should not use constant value "linux/amd64"']);
  });
  it('negative: the stage name mentions the platform, or a variable is used', () => {
    expect(check('FROM --platform=linux/amd64 scratch AS my_amd64_stage\n')).toEqual([]);
    expect(check('FROM --platform=linux/amd64 scratch AS linux\n')).toEqual([]);
    expect(check('ARG P=linux/arm64\nFROM --platform=$P scratch\n')).toEqual([]);
  });
});

describe('ExposeProtoCasing and ExposeInvalidFormat', () => {
  it('positive', () => {
    expect(check('FROM alpine\nEXPOSE 80/TcP\n')).toEqual(["2 ExposeProtoCasing: Defined protocol '80/TcP' in EXPOSE instruction should be lowercase"]);
    expect(check('FROM alpine\nEXPOSE 127.0.0.1:80:80\n')).toEqual([
      "2 ExposeInvalidFormat: EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'",
    ]);
  });
  it('negative', () => {
    expect(check('FROM alpine\nEXPOSE 80 443/tcp 53/udp\n')).toEqual([]);
  });
});

describe('the check directive and errors', () => {
  const df = 'FROM scratch as base\ncopy Dockerfile .\n';
  it('skip=all, skip=Rule,Rule', () => {
    expect(check(`#check=skip=all\n${df}`)).toEqual([]);
    expect(check(`#check=skip=ConsistentInstructionCasing,FromAsCasing\n${df}`)).toEqual([]);
    expect(check(`#check=skip=ConsistentInstructionCasing\n${df}`)).toEqual(["2 FromAsCasing: 'as' and 'FROM' keywords' casing do not match"]);
  });
  it('error=true is reported to the caller', () => {
    expect(checkOptions(`#check=skip=ConsistentInstructionCasing;error=true\n${df}`)).toEqual({ skip: new Set(['ConsistentInstructionCasing']), error: true });
    expect(checkOptions(df)).toEqual({ skip: new Set(), error: false });
  });
  it('the BUILDKIT_DOCKERFILE_CHECK build arg overrides the directive', () => {
    expect(check(`#check=error=true\n${df}`, { buildArgs: { BUILDKIT_DOCKERFILE_CHECK: 'skip=all' } })).toEqual([]);
    expect(checkOptions('#check=skip=all\n', { BUILDKIT_DOCKERFILE_CHECK: 'error=1' })).toEqual({ skip: new Set(), error: true });
  });
  it('a malformed check directive is an error', () => {
    expect(lintReport(`#check=skip\n${df}`).error?.message).toBe('failed to parse check options: invalid check option "skip"');
    expect(lintReport(`#check=foo=bar\n${df}`).error?.message).toBe('failed to parse check options: invalid check option "foo"');
    expect(() => checkOptions('#check=error=maybe\n')).toThrow('failed to parse check option "error=maybe"');
  });
  it('warnings found before an error are kept (testWarningsBeforeError)', () => {
    const r = lintReport('\nFROM scratch AS BadStageName\nMAINTAINER me@example.org\nBADCMD\n');
    expect(r.findings.map((f) => `${f.line} ${f.rule}`)).toEqual(['2 StageNameCasing', '3 MaintainerDeprecated']);
    expect(r.error?.message).toBe('Dockerfile:4: unknown instruction: BADCMD');
    expect(() => lint('FROM a\nBADCMD\n')).toThrow('Dockerfile:2: unknown instruction: BADCMD');
  });
});
