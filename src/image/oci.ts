// The OCI image spec's data types (and Docker schema2's, which are the same shapes under
// other media types), with zod/mini schemas for everything read back from disk or a tarball.
// https://github.com/opencontainers/image-spec/blob/main/manifest.md
import * as z from 'zod/mini';

export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

export const MANIFEST_TYPES: readonly string[] = [MediaType.ociManifest, MediaType.dockerManifest];
export const INDEX_TYPES: readonly string[] = [MediaType.ociIndex, MediaType.dockerManifestList];
export const LAYER_TYPES: readonly string[] = [
  MediaType.ociLayer,
  MediaType.ociLayerGzip,
  MediaType.dockerLayer,
  MediaType.dockerLayerGzip,
  MediaType.dockerForeignLayerGzip,
];

/** Annotation keys. The first two are the OCI spec's; the rest are minidock's own. */
export const Annotation = {
  refName: 'org.opencontainers.image.ref.name',
  created: 'org.opencontainers.image.created',
  /** Config digest (= docker image ID), so `images` lists without opening manifests. */
  imageId: 'io.minidock.image.id',
  /** Unpacked size of all layers in bytes (docker's SIZE column). */
  size: 'io.minidock.image.size',
  /** When the tag was (last) set: docker's Metadata.LastTagTime. */
  lastTagTime: 'io.minidock.image.last-tag-time',
  /** An image made by a build step: hidden by `images`, shown by `images -a`. */
  intermediate: 'io.minidock.build.intermediate',
  /** Build cache key of the step that produced this image. */
  cacheKey: 'io.minidock.build.cache-key',
  /** Image ID of the parent (docker's `Parent`), for build-made images. */
  parent: 'io.minidock.image.parent',
  /** The registry-style digest reference this image was pulled by (docker's RepoDigests). */
  repoDigest: 'io.minidock.image.repo-digest',
} as const;

const Digest = z.string().check(z.regex(/^sha256:[a-f0-9]{64}$/, 'not a sha256 digest'));
const StringMap = z.record(z.string(), z.string());

export const DescriptorSchema = z.looseObject({
  mediaType: z.string(),
  digest: Digest,
  size: z.number(),
  annotations: z.optional(StringMap),
  urls: z.optional(z.array(z.string())),
  platform: z.optional(z.looseObject({ architecture: z.string(), os: z.string(), variant: z.optional(z.string()) })),
});
export type Descriptor = z.infer<typeof DescriptorSchema>;

export const IndexSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.optional(z.string()),
  manifests: z.array(DescriptorSchema),
  annotations: z.optional(StringMap),
});
export type ImageIndex = z.infer<typeof IndexSchema>;

export const ManifestSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.optional(z.string()),
  config: DescriptorSchema,
  layers: z.array(DescriptorSchema),
  annotations: z.optional(StringMap),
});
export type Manifest = z.infer<typeof ManifestSchema>;

const Nullable = <T extends z.ZodMiniType>(t: T) => z.optional(z.nullable(t));

export const HealthcheckSchema = z.looseObject({
  Test: Nullable(z.array(z.string())),
  Interval: z.optional(z.number()),
  Timeout: z.optional(z.number()),
  StartPeriod: z.optional(z.number()),
  StartInterval: z.optional(z.number()),
  Retries: z.optional(z.number()),
});

/** The `config` object of an image config: what a container starts with. */
export const ContainerConfigSchema = z.looseObject({
  User: z.optional(z.string()),
  ExposedPorts: Nullable(z.record(z.string(), z.looseObject({}))),
  Env: Nullable(z.array(z.string())),
  Entrypoint: Nullable(z.array(z.string())),
  Cmd: Nullable(z.array(z.string())),
  Volumes: Nullable(z.record(z.string(), z.looseObject({}))),
  WorkingDir: z.optional(z.string()),
  Labels: Nullable(StringMap),
  StopSignal: z.optional(z.string()),
  ArgsEscaped: z.optional(z.boolean()),
  // Docker extensions, kept in the config as docker does.
  Healthcheck: Nullable(HealthcheckSchema),
  OnBuild: Nullable(z.array(z.string())),
  Shell: Nullable(z.array(z.string())),
});
export type ContainerConfig = z.infer<typeof ContainerConfigSchema>;

export const HistorySchema = z.looseObject({
  created: z.optional(z.string()),
  created_by: z.optional(z.string()),
  author: z.optional(z.string()),
  comment: z.optional(z.string()),
  empty_layer: z.optional(z.boolean()),
});
export type History = z.infer<typeof HistorySchema>;

export const ImageConfigSchema = z.looseObject({
  created: z.optional(z.string()),
  author: z.optional(z.string()),
  architecture: z.string(),
  os: z.string(),
  variant: z.optional(z.string()),
  config: Nullable(ContainerConfigSchema),
  rootfs: z.looseObject({ type: z.string(), diff_ids: z.array(Digest) }),
  history: Nullable(z.array(HistorySchema)),
  // docker's own fields
  comment: z.optional(z.string()),
  docker_version: z.optional(z.string()),
});
export type ImageConfig = z.infer<typeof ImageConfigSchema>;

/** The platform this engine runs: GOARCH names, as image configs spell them. */
export function hostPlatform(): { os: string; architecture: string } {
  const arch = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' }[process.arch as string];
  return { os: 'linux', architecture: arch ?? process.arch };
}
