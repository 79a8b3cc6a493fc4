// Image references, normalised exactly as Docker does it (github.com/distribution/reference,
// normalize.go + regexp.go + reference.go): `busybox` → `docker.io/library/busybox:latest`.
// Error texts are the library's, since `docker` prints them verbatim.
import { invalid } from '../errors.js';

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';
/** Longest accepted repository path (the part after the domain). */
export const REPOSITORY_NAME_MAX = 255;

// --- grammar (regexp.go), translated to JS regexps with the same leftmost-first semantics ---
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const optionalPort = '(?::[0-9]+)?';
const tagPat = '[\\w][\\w.-]{0,127}';
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|${ipv6address})`;
const domainAndPort = host + optionalPort;
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const namePat = `(?:${domainAndPort}/)?${remoteName}`;

const referenceRe = new RegExp(`^(${namePat})(?::(${tagPat}))?(?:@(${digestPat}))?$`);
const anchoredNameRe = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const anchoredTagRe = new RegExp(`^${tagPat}$`);
const anchoredDigestRe = new RegExp(`^${digestPat}$`);
const anchoredIdentifierRe = /^[a-f0-9]{64}$/;

/** A named image reference: repository (domain + path), optional tag and digest. */
export class Reference {
  constructor(
    /** `docker.io`, `localhost:5000`, `[::1]:5000`. */
    readonly domain: string,
    /** Repository path without the domain: `library/busybox`. */
    readonly path: string,
    readonly tag?: string,
    /** `sha256:<hex>`. */
    readonly digest?: string,
  ) {}

  /** Full repository name: `docker.io/library/busybox`. */
  get name(): string {
    return this.domain === '' ? this.path : `${this.domain}/${this.path}`;
  }

  /** Repository name as the docker UI shows it: `busybox`, `user/app`, `localhost:5000/a/b`. */
  get familiarName(): string {
    if (this.domain !== DEFAULT_DOMAIN) return this.name;
    // Only single-level `library/x` is shortened: `library/a/b` stays as it is (normalize.go).
    if (this.path.startsWith(OFFICIAL_REPO_PREFIX)) {
      const rest = this.path.slice(OFFICIAL_REPO_PREFIX.length);
      if (!rest.includes('/')) return rest;
    }
    return this.path;
  }

  /** Full form: `docker.io/library/busybox:latest[@sha256:…]`. */
  toString(): string {
    return this.name + suffix(this.tag, this.digest);
  }

  /** Familiar form: `busybox:latest`, `busybox@sha256:…`. */
  familiarString(): string {
    return this.familiarName + suffix(this.tag, this.digest);
  }

  /** Adds `:latest` when the reference has neither tag nor digest (TagNameOnly). */
  withDefaultTag(): Reference {
    return this.tag === undefined && this.digest === undefined ? this.withTag(DEFAULT_TAG) : this;
  }

  withTag(tag: string): Reference {
    if (!anchoredTagRe.test(tag)) throw invalid('invalid tag format', { context: { tag } });
    return new Reference(this.domain, this.path, tag, this.digest);
  }

  withDigest(digest: string): Reference {
    if (!anchoredDigestRe.test(digest)) throw invalid('invalid digest format', { context: { digest } });
    return new Reference(this.domain, this.path, this.tag, digest);
  }

  /** The repository alone, without tag or digest (TrimNamed). */
  repository(): Reference {
    return new Reference(this.domain, this.path);
  }

  /**
   * ParseDockerRef: a reference with both a tag and a digest keeps only the digest (the tag is
   * meaningless once content is pinned); a bare name gets `:latest`.
   */
  dockerRef(): Reference {
    if (this.digest !== undefined) return new Reference(this.domain, this.path, undefined, this.digest);
    return this.withDefaultTag();
  }
}

function suffix(tag?: string, digest?: string): string {
  return (tag === undefined ? '' : `:${tag}`) + (digest === undefined ? '' : `@${digest}`);
}

function refError(message: string, input: string): Error {
  return invalid(message, { context: { reference: input } });
}

/**
 * go-digest's Parse/Validate for the algorithms Docker registers (sha256, sha384, sha512).
 * Returns an error message or undefined.
 */
export function validateDigest(d: string): string | undefined {
  const i = d.indexOf(':');
  if (i <= 0 || i + 1 === d.length) return 'invalid checksum digest format';
  const alg = d.slice(0, i);
  const encoded = d.slice(i + 1);
  const size = DIGEST_HEX_LENGTH[alg];
  if (size === undefined) {
    return anchoredDigestRe.test(d) ? 'unsupported digest algorithm' : 'invalid checksum digest format';
  }
  if (encoded.length !== size) return 'invalid checksum digest length';
  return /^[a-f0-9]+$/.test(encoded) ? undefined : 'invalid checksum digest format';
}

const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/**
 * reference.Parse: the strict grammar without normalisation (`busybox` keeps an empty domain).
 * The grammar always requires a repository name, so the result is always named.
 */
export function parseStrict(s: string): Reference {
  if (s === '') throw refError('repository name must have at least one component', s);
  const m = referenceRe.exec(s);
  if (m === null) {
    const lower = s.toLowerCase();
    if (lower !== s && referenceRe.test(lower)) throw refError('repository name must be lowercase', s);
    throw refError('invalid reference format', s);
  }
  const nm = anchoredNameRe.exec(m[1]);
  const domain = nm?.[1] ?? '';
  const path = nm ? nm[2] : m[1];
  if (path.length > REPOSITORY_NAME_MAX) {
    throw refError(`repository name must not be more than ${REPOSITORY_NAME_MAX} characters`, s);
  }
  const digest = m[3];
  if (digest !== undefined) {
    const err = validateDigest(digest);
    if (err !== undefined) throw refError(err, s);
  }
  return new Reference(domain, path, m[2], digest);
}

/** splitDockerDomain (normalize.go): decide whether the first path element is a registry. */
function splitDockerDomain(name: string): [string, string] {
  const slash = name.indexOf('/');
  if (slash < 0) return [DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name];
  const maybeDomain = name.slice(0, slash);
  const maybeRemote = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (maybeDomain === 'localhost') [domain, remote] = [maybeDomain, maybeRemote];
  else if (maybeDomain === LEGACY_DEFAULT_DOMAIN) [domain, remote] = [DEFAULT_DOMAIN, maybeRemote];
  else if (/[.:]/.test(maybeDomain)) [domain, remote] = [maybeDomain, maybeRemote];
  // Namespaces are lowercase, so an uppercase first element can only be a host name.
  else if (maybeDomain.toLowerCase() !== maybeDomain) [domain, remote] = [maybeDomain, maybeRemote];
  else [domain, remote] = [DEFAULT_DOMAIN, name];
  if (domain === DEFAULT_DOMAIN && !remote.includes('/')) remote = OFFICIAL_REPO_PREFIX + remote;
  return [domain, remote];
}

/**
 * ParseNormalizedNamed: a name as a user types it (`busybox`, `user/app:1`, `host:5000/x@sha256:…`)
 * into its full form. No default tag is added: call `withDefaultTag()` for that.
 */
export function parseReference(s: string): Reference {
  if (anchoredIdentifierRe.test(s)) {
    throw refError(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`, s);
  }
  const [domain, remainder] = splitDockerDomain(s);
  const colon = remainder.indexOf(':');
  const remote = colon >= 0 ? remainder.slice(0, colon) : remainder;
  if (remote.toLowerCase() !== remote) {
    throw refError(`invalid reference format: repository name (${remote}) must be lowercase`, s);
  }
  return parseStrict(`${domain}/${remainder}`);
}

/** What a user's image argument refers to: a content ID, or a name. */
export type AnyReference = { kind: 'id'; digest: string } | { kind: 'name'; ref: Reference };

/**
 * ParseAnyReference: a 64-hex string or a valid digest (`sha256:…`) is an image ID, anything else
 * must be a name. Note that a short hex string such as `3f2a` parses as a *name*; Docker looks it
 * up by name first and falls back to an ID-prefix search (see `looksLikeIdPrefix`).
 */
export function parseAnyReference(s: string): AnyReference {
  if (anchoredIdentifierRe.test(s)) return { kind: 'id', digest: `sha256:${s}` };
  if (validateDigest(s) === undefined) return { kind: 'id', digest: s };
  return { kind: 'name', ref: parseReference(s) };
}

/**
 * Whether `s` may name an image by ID or unique ID prefix (`3f2a`, `sha256:3f2a…`). Docker's
 * image store searches by prefix after the name lookup failed (daemon/images GetImage).
 */
export function looksLikeIdPrefix(s: string): boolean {
  return /^(?:sha256:)?[a-f0-9]{1,64}$/.test(s);
}

/** Whether `s` is a full image ID: 64 hex digits, optionally `sha256:`-prefixed. */
export function isFullImageId(s: string): boolean {
  return /^(?:sha256:)?[a-f0-9]{64}$/.test(s);
}
