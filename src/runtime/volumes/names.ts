// Volume names as docker's local driver accepts them (moby volume/local/local.go), and the
// random names of anonymous volumes. A valid name is one path component that cannot be `.`,
// `..` or contain `/`, so `volumes/<name>` never leaves the volumes directory.
import { randomBytes } from 'node:crypto';
import { quote } from '../../cli/parse/strconv.js';
import { MinidockError } from '../../errors.js';

/** moby's names.RestrictedNameChars, quoted in the error message as docker does. */
export const VOLUME_NAME_CHARS = '[a-zA-Z0-9][a-zA-Z0-9_.-]';
const VALID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** The label docker 23+ puts on volumes a container made for itself (`-v /x`, VOLUME). */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

/** The reason `name` is not a local volume name, or undefined when it is one. */
export function volumeNameProblem(name: string): string | undefined {
  // Go's len() counts bytes: "é" is two bytes and fails on the characters instead.
  if (Buffer.byteLength(name) === 1) return 'volume name is too short, names should be at least two alphanumeric characters';
  if (!VALID.test(name)) {
    return `${quote(name)} includes invalid characters for a local volume name, only ${quote(VOLUME_NAME_CHARS)} are allowed. If you intended to pass a host directory, use absolute path`;
  }
  // NAME_MAX: the directory could not be made; say so before anything is created.
  if (Buffer.byteLength(name) > 200) return 'volume name is too long (at most 200 bytes)';
  return undefined;
}

/** Throws docker's `create NAME: …` error for a name the local driver refuses. */
export function assertVolumeName(name: string): void {
  const problem = volumeNameProblem(name);
  if (problem) throw new MinidockError(`create ${name}: ${problem}`, { kind: 'usage', context: { name } });
}

/** A fresh name for an anonymous volume: 64 hex digits, like a container ID. */
export function anonymousVolumeName(): string {
  return randomBytes(32).toString('hex');
}
