// A container as the engine keeps it on disk: `containers/<id>/container.json` (what it was
// created with: docker's Config and HostConfig shapes, so `inspect` is a direct view) and
// `containers/<id>/state.json` (what it is doing now). Both are written atomically; both are
// validated when read back.
import * as z from 'zod/mini';

export type Status = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

const Str = z.string();
const StrList = z.array(z.string());
const Opt = <T extends z.ZodMiniType>(t: T) => z.optional(t);
const NullOpt = <T extends z.ZodMiniType>(t: T) => z.optional(z.nullable(t));

export const MountSpecSchema = z.looseObject({
  Type: z.enum(['bind', 'volume', 'tmpfs']),
  Source: Str,
  Destination: Str,
  RW: z.boolean(),
  Name: Opt(Str),
  Options: Opt(Str),
  /** An anonymous volume: removed with the container by `rm -v`. */
  Anonymous: Opt(z.boolean()),
});
export type MountSpec = z.infer<typeof MountSpecSchema>;

export const PortBindingSchema = z.looseObject({ HostIp: Str, HostPort: Str });

export const ContainerSchema = z.looseObject({
  Id: Str,
  Name: Str,
  Created: Str,
  /** Image ID (config digest) and the name the user gave. */
  Image: Str,
  ImageName: Str,
  /** Chain IDs of the image's layers, bottom first: the overlay lowerdirs. */
  Layers: StrList,
  Config: z.looseObject({
    Hostname: Str,
    Domainname: Opt(Str),
    User: Str,
    Tty: z.boolean(),
    OpenStdin: z.boolean(),
    Env: StrList,
    Cmd: NullOpt(StrList),
    Entrypoint: NullOpt(StrList),
    WorkingDir: Str,
    Labels: z.record(Str, Str),
    StopSignal: Opt(Str),
    StopTimeout: NullOpt(z.number()),
    ExposedPorts: NullOpt(z.record(Str, z.looseObject({}))),
    Volumes: NullOpt(z.record(Str, z.looseObject({}))),
    Image: Str,
  }),
  HostConfig: z.looseObject({
    AutoRemove: z.boolean(),
    Privileged: z.boolean(),
    ReadonlyRootfs: z.boolean(),
    Init: z.boolean(),
    CapAdd: StrList,
    CapDrop: StrList,
    SecurityOpt: StrList,
    NoNewPrivileges: z.boolean(),
    Tmpfs: z.record(Str, Str),
    RestartPolicy: z.looseObject({ Name: Str, MaximumRetryCount: z.number() }),
    Memory: z.number(),
    MemorySwap: z.number(),
    NanoCpus: z.number(),
    CpuShares: z.number(),
    PidsLimit: NullOpt(z.number()),
    CgroupParent: Str,
    NetworkMode: Str,
    GroupAdd: StrList,
    ExtraHosts: StrList,
    Dns: StrList,
    PortBindings: z.record(Str, z.array(PortBindingSchema)),
    PublishAllPorts: z.boolean(),
    Binds: StrList,
  }),
  Mounts: z.array(MountSpecSchema),
  /** The process the container runs (entrypoint + cmd, resolved at create time). */
  Path: Str,
  Args: StrList,
});
export type Container = z.infer<typeof ContainerSchema>;

export const StateSchema = z.looseObject({
  Status: z.enum(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']),
  Pid: z.number(),
  /** Start time of Pid (from /proc/PID/stat), so a reused PID is never mistaken for ours. */
  PidStart: Opt(Str),
  ShimPid: z.number(),
  ShimStart: Opt(Str),
  ExitCode: z.number(),
  OOMKilled: z.boolean(),
  Error: Str,
  StartedAt: Str,
  FinishedAt: Str,
  RestartCount: z.number(),
  /** Stopped by `stop`/`kill`/`rm -f`: the restart policy leaves it alone (docker's rule). */
  ManuallyStopped: z.boolean(),
  /** The host-side resources of the current run, to remove when it ends. */
  Cgroup: NullOpt(z.looseObject({})),
  Netns: Opt(Str),
});
export type State = z.infer<typeof StateSchema>;

export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function initialState(): State {
  return {
    Status: 'created',
    Pid: 0,
    ShimPid: 0,
    ExitCode: 0,
    OOMKilled: false,
    Error: '',
    StartedAt: ZERO_TIME,
    FinishedAt: ZERO_TIME,
    RestartCount: 0,
    ManuallyStopped: false,
  };
}

/** What the shim writes when the container's process ends. */
export const ExitFileSchema = z.looseObject({
  exitCode: z.number(),
  signal: z.nullable(Str),
  finishedAt: Str,
});
export type ExitFile = z.infer<typeof ExitFileSchema>;
