// Which --build-arg values nothing used, for docker's warning
// "[Warning] One or more build-args [FOO] were not consumed". An argument is consumed when an
// ARG of a built stage (or a global ARG before the first FROM) declares it. The predefined
// ones — proxy variables, platform variables, SOURCE_DATE_EPOCH, BUILDKIT_* settings — are
// never reported, as docker does not report them.
import type { Dockerfile } from '../dockerfile/index.js';

const PREDEFINED = new Set([
  'HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY',
  'BUILDPLATFORM', 'BUILDOS', 'BUILDOSVERSION', 'BUILDARCH', 'BUILDVARIANT',
  'TARGETPLATFORM', 'TARGETOS', 'TARGETOSVERSION', 'TARGETARCH', 'TARGETVARIANT', 'TARGETSTAGE',
  'SOURCE_DATE_EPOCH',
]);

export function unusedBuildArgs(buildArgs: Readonly<Record<string, string>>, df: Dockerfile, declared: ReadonlySet<string>): string[] {
  const global = new Set(df.metaArgs.flatMap((a) => a.args.map((d) => d.name)));
  return Object.keys(buildArgs)
    .filter((k) => !declared.has(k) && !global.has(k) && !PREDEFINED.has(k.toUpperCase()) && !k.startsWith('BUILDKIT_'))
    .sort();
}
