// Two syntax checks the lint rules need and nothing else in the front end does: "is this a
// valid image reference" (distribution/reference's ParseNormalizedNamed grammar, for
// InvalidDefaultArgInFrom) and "what platform does this --platform value name" (containerd's
// platforms.Parse, for FromPlatformFlagConstDisallowed). The builder's own reference parsing
// lives with the image store; this only answers yes or no.
// https://github.com/distribution/reference/blob/main/regexp.go
import type { Platform } from './global-args.js';

const alnum = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alnum}(?:${separator}${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])`;
const domain = `${host}(?::[0-9]+)?`;
const name = `(?:${domain}/)?${pathComponent}(?:/${pathComponent})*`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${name})(?::${tag})?(?:@${digest})?$`);
const HEX64 = /^[a-f0-9]{64}$/;
const NAME_MAX = 255;

/** Whether `ref` parses as a normalized image reference ("alpine", "docker.io/x/y:1@sha256:..."). */
export function isValidImageReference(ref: string): boolean {
  if (HEX64.test(ref)) return false;
  const m = REFERENCE.exec(ref);
  return m !== null && m[1].length <= NAME_MAX;
}

const KNOWN_OS = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl',
  'netbsd', 'openbsd', 'plan9', 'solaris', 'windows', 'zos',
]);
const KNOWN_ARCH = new Set([
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'ppc64', 'ppc64le', 'loong64', 'mips', 'mipsle',
  'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm',
]);
const ARCH_ALIASES: Record<string, string> = {
  i386: '386', x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm',
};

/** platforms.Parse, simplified: "os[/arch[/variant]]", or a lone arch; undefined if unknown.
 *  `fallback` supplies what a lone OS or arch leaves open (BuildKit uses its own host). */
export function parsePlatform(spec: string, fallback: Platform): Platform | undefined {
  const parts = spec.toLowerCase().split('/');
  if (parts.length > 3 || parts.some((p) => p === '')) return undefined;
  const os = parts[0] === 'macos' ? 'darwin' : parts[0];
  if (parts.length === 1) {
    if (KNOWN_OS.has(os)) return { os, architecture: fallback.architecture };
    const arch = ARCH_ALIASES[os] ?? os;
    return KNOWN_ARCH.has(arch) ? { os: fallback.os, architecture: arch } : undefined;
  }
  if (!KNOWN_OS.has(os)) return undefined;
  const architecture = ARCH_ALIASES[parts[1]] ?? parts[1];
  if (!KNOWN_ARCH.has(architecture)) return undefined;
  return { os, architecture, variant: parts[2] };
}
