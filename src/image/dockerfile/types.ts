// Typed instructions and stages: what `toStages` returns and the builder consumes. Words are
// as written (quotes kept, variables unexpanded) until `expandInstruction` has run; its result
// has the same shape with the build-time values filled in.
import type { EscapeToken } from './shell.js';

export interface InstructionBase {
  /** 1-based first and last line (heredoc bodies included). */
  line: number;
  endLine: number;
  /** The instruction word as written ("RUN", "run"). */
  keyword: string;
  /** The instruction's source text, continuation lines joined and trimmed. */
  source: string;
}

/** RUN/CMD/ENTRYPOINT/HEALTHCHECK command: shell form is one string the builder hands to the
 *  stage's SHELL (default ["/bin/sh", "-c"]); exec (JSON) form is the argv itself. */
export type CommandLine = { form: 'shell'; script: string } | { form: 'exec'; argv: string[] };

/** A heredoc body attached to RUN (a file the shell reads) or COPY/ADD (a file to create). */
export interface InlineFile {
  name: string;
  /** The body; for COPY/ADD with `<<-`, leading tabs are already stripped. */
  content: string;
  /** `<<-`: for RUN the builder strips leading tabs when it uses the body. */
  chomp: boolean;
  /** Variables in the body are expanded (COPY/ADD only; delimiter not quoted). */
  expand: boolean;
}

export type MountType = 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';
export type CacheSharing = 'shared' | 'private' | 'locked';

/**
 * One `RUN --mount=...`, with BuildKit's keys. Unset fields take BuildKit's defaults at build
 * time: bind sources the build context (or `from`); cache id is the target, sharing "shared";
 * secret id is the source, id or the target's base name, target /run/secrets/<id>; ssh id
 * "default". `readonly` already has its per-type default applied (true for bind, secret, ssh).
 */
export interface RunMount {
  type: MountType;
  from?: string;
  source?: string;
  target?: string;
  readonly: boolean;
  /** tmpfs `size=`, in bytes. */
  sizeLimit?: number;
  /** cache/secret/ssh `id=`. */
  id?: string;
  sharing?: CacheSharing;
  /** secret/ssh: fail when the secret or agent is not provided. */
  required: boolean;
  /** secret `env=NAME`: expose the secret as an environment variable. */
  env?: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

export interface RunDevice {
  name: string;
  required: boolean;
}

export interface RunInstruction extends InstructionBase {
  kind: 'run';
  command: CommandLine;
  /** Heredocs the command refers to (see planRun for how BuildKit runs them). */
  heredocs: InlineFile[];
  /** `--mount` values as written. */
  mountSpecs: string[];
  /** The mounts, typed. Left undefined by toStages when a spec uses a variable, since only the
   *  stage's environment can resolve it; expandInstruction always sets it. */
  mounts?: RunMount[];
  network: 'default' | 'none' | 'host';
  security: 'sandbox' | 'insecure';
  devices: RunDevice[];
  /** The flags given, for the builder to say which it does not support. */
  flagsUsed: string[];
}

export interface CmdInstruction extends InstructionBase {
  kind: 'cmd';
  command: CommandLine;
}

export interface EntrypointInstruction extends InstructionBase {
  kind: 'entrypoint';
  /** `ENTRYPOINT []` (exec, empty) clears the entrypoint. */
  command: CommandLine;
}

export interface KeyValue {
  key: string;
  value: string;
  /** Written in the legacy `ENV key value` form (the LegacyKeyValueFormat lint). */
  legacy: boolean;
}

export interface EnvInstruction extends InstructionBase {
  kind: 'env';
  pairs: KeyValue[];
}

export interface LabelInstruction extends InstructionBase {
  kind: 'label';
  pairs: KeyValue[];
}

export interface ArgDecl {
  name: string;
  /** As returned by toStages: the default as written. After expandInstruction: the value in
   *  force (build arg, expanded default or global value); undefined when the ARG has none. */
  value?: string;
}

export interface ArgInstruction extends InstructionBase {
  kind: 'arg';
  args: ArgDecl[];
}

export type CopySource = { kind: 'path'; path: string } | ({ kind: 'heredoc' } & InlineFile);

export interface CopyInstruction extends InstructionBase {
  kind: 'copy';
  sources: CopySource[];
  dest: string;
  /** A stage name, stage index or image. Never expanded (BuildKit refuses variables here). */
  from?: string;
  chown?: string;
  chmod?: string;
  link: boolean;
  parents: boolean;
  exclude: string[];
}

export interface AddInstruction extends InstructionBase {
  kind: 'add';
  sources: CopySource[];
  dest: string;
  chown?: string;
  chmod?: string;
  link: boolean;
  keepGitDir: boolean;
  checksum?: string;
  /** Undefined when --unpack was not given (local archives unpack, URLs do not). */
  unpack?: boolean;
  exclude: string[];
}

export interface WorkdirInstruction extends InstructionBase {
  kind: 'workdir';
  path: string;
}

export interface ExposeInstruction extends InstructionBase {
  kind: 'expose';
  /** Sorted, as BuildKit sorts them before expansion. */
  ports: string[];
}

export interface VolumeInstruction extends InstructionBase {
  kind: 'volume';
  paths: string[];
}

export interface UserInstruction extends InstructionBase {
  kind: 'user';
  user: string;
}

export interface ShellInstruction extends InstructionBase {
  kind: 'shell';
  shell: string[];
}

export interface StopsignalInstruction extends InstructionBase {
  kind: 'stopsignal';
  signal: string;
}

/** Docker's HealthConfig: durations in nanoseconds, 0 meaning "the default". */
export interface HealthConfig {
  /** ["NONE"], ["CMD", ...argv] or ["CMD-SHELL", script]. */
  test: string[];
  interval: number;
  timeout: number;
  startPeriod: number;
  startInterval: number;
  retries: number;
}

export interface HealthcheckInstruction extends InstructionBase {
  kind: 'healthcheck';
  health: HealthConfig;
}

export interface OnbuildInstruction extends InstructionBase {
  kind: 'onbuild';
  /** The trigger as stored in the image config's OnBuild list (heredoc bodies appended). */
  expression: string;
}

export interface MaintainerInstruction extends InstructionBase {
  kind: 'maintainer';
  maintainer: string;
}

export type Instruction =
  | RunInstruction
  | CmdInstruction
  | EntrypointInstruction
  | EnvInstruction
  | LabelInstruction
  | ArgInstruction
  | CopyInstruction
  | AddInstruction
  | WorkdirInstruction
  | ExposeInstruction
  | VolumeInstruction
  | UserInstruction
  | ShellInstruction
  | StopsignalInstruction
  | HealthcheckInstruction
  | OnbuildInstruction
  | MaintainerInstruction;

export type InstructionKind = Instruction['kind'];

export interface Stage {
  /** Position in the file, for `COPY --from=0`. */
  index: number;
  /** `AS name`, lower-cased; undefined for an unnamed stage. */
  name?: string;
  /** The `AS` word as written, and the name as written (for the casing lint rules). */
  asKeyword?: string;
  nameAsWritten?: string;
  /** Base image or earlier stage, unexpanded (global ARGs apply: see expandFrom). */
  base: string;
  /** `--platform`, unexpanded. */
  platform?: string;
  /** The FROM line. */
  line: number;
  endLine: number;
  keyword: string;
  source: string;
  /** The comment directly above FROM that starts with the stage name (a description). */
  comment?: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  file: string;
  escapeToken: EscapeToken;
  /** ARGs before the first FROM: usable in FROM lines, and in a stage that re-declares them. */
  metaArgs: ArgInstruction[];
  stages: Stage[];
}
