// How each instruction changes the image config, as BuildKit's dispatchers do (convert.go):
// pure functions from (config, expanded instruction) to (config, history entry). The executor
// commits each result as a step image. Layer-producing steps (RUN, COPY, ADD, WORKDIR) add
// their history entry through `appendHistory` once they know whether the layer is empty.
import { invalid } from '../../errors.js';
import type { ContainerConfig, History, ImageConfig } from '../oci.js';
import { DEFAULT_PATH, DEFAULT_SHELL, envList, type Instruction, type StageScope } from '../dockerfile/index.js';
import {
  HISTORY_COMMENT,
  argHistory,
  cmdHistory,
  entrypointHistory,
  envHistory,
  exposeHistory,
  healthcheckHistory,
  labelHistory,
  shellHistory,
  volumeHistory,
  type DeclaredArg,
} from './history.js';
import { parsePortSpecs } from './ports.js';

/** What a stage remembers between instructions besides the config. */
export interface StageFacts {
  /** CMD was set in this stage: ENTRYPOINT then keeps it (BuildKit's cmd.IsSet). */
  cmdSet: boolean;
  /** ARGs declared so far (a stage built FROM another inherits its list). */
  args: DeclaredArg[];
}

/** BuildKit's emptyImage: the config a `FROM scratch` stage starts with. */
export function scratchConfig(platform: { os: string; architecture: string; variant?: string }): ImageConfig {
  return {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: { Env: [`PATH=${DEFAULT_PATH}`], WorkingDir: '/' },
    rootfs: { type: 'layers', diff_ids: [] },
    history: [],
  };
}

/** The base's config for a new stage: no created time of its own, the stage's env (PATH added). */
export function stageStartConfig(base: ImageConfig, scope: StageScope): ImageConfig {
  const { created: _created, ...rest } = structuredClone(base);
  // Triggers run in the stage that builds on the image; they are not inherited.
  const { OnBuild: _onBuild, ...config } = rest.config ?? {};
  return { ...rest, config: { ...config, Env: envList(scope.configEnv) } };
}

/** Seconds as RFC 3339 without fractions, as Go marshals a whole-second time. */
export function isoSeconds(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

export function appendHistory(image: ImageConfig, createdBy: string, emptyLayer: boolean, created: string): ImageConfig {
  const entry: History = { created, created_by: createdBy, comment: HISTORY_COMMENT };
  if (emptyLayer) entry.empty_layer = true;
  return { ...image, history: [...(image.history ?? []), entry] };
}

export function shellOf(config: ContainerConfig | null | undefined): readonly string[] {
  return config?.Shell && config.Shell.length > 0 ? config.Shell : DEFAULT_SHELL;
}

/** Normalise WORKDIR against the current one (system.NormalizeWorkdir). */
export function normalizeWorkdir(current: string | undefined, path: string): string {
  const joined = path.startsWith('/') ? path : `${current || '/'}/${path}`;
  const parts: string[] = [];
  for (const p of joined.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

/** The stage facts after an (expanded) instruction; needed whether or not the step is cached. */
export function nextFacts(facts: StageFacts, inst: Instruction): StageFacts {
  if (inst.kind === 'cmd') return { ...facts, cmdSet: true };
  if (inst.kind === 'arg') return { ...facts, args: [...facts.args, ...inst.args.map((a) => ({ name: a.name, value: a.value }))] };
  return facts;
}

/**
 * A metadata-only instruction (no layer): its effect on the config and its history entry
 * (`empty_layer: true`). `scope` is the scope after the instruction, `facts` before it.
 */
export function applyMetadata(image: ImageConfig, inst: Instruction, scope: StageScope, facts: StageFacts, created: string): ImageConfig {
  const cfg: ContainerConfig = structuredClone(image.config ?? {});
  let next: ImageConfig = { ...image, config: cfg };
  let createdBy: string | undefined;
  switch (inst.kind) {
    case 'env':
      cfg.Env = envList(scope.configEnv);
      createdBy = envHistory(inst.pairs);
      break;
    case 'label':
      cfg.Labels = { ...(cfg.Labels ?? {}) };
      for (const p of inst.pairs) cfg.Labels[p.key] = p.value;
      createdBy = labelHistory(inst.pairs);
      break;
    case 'arg':
      createdBy = argHistory(inst.args.map((a) => ({ name: a.name, value: a.value })));
      break;
    case 'cmd':
      cfg.Cmd = commandArgv(inst.command, cfg);
      cfg.ArgsEscaped = true;
      createdBy = cmdHistory(cfg.Cmd);
      break;
    case 'entrypoint':
      cfg.Entrypoint = commandArgv(inst.command, cfg);
      if (!facts.cmdSet) cfg.Cmd = null;
      createdBy = entrypointHistory(cfg.Entrypoint);
      break;
    case 'healthcheck': {
      const h = inst.health;
      cfg.Healthcheck = {
        Test: h.test,
        ...(h.interval ? { Interval: h.interval } : {}),
        ...(h.timeout ? { Timeout: h.timeout } : {}),
        ...(h.startPeriod ? { StartPeriod: h.startPeriod } : {}),
        ...(h.startInterval ? { StartInterval: h.startInterval } : {}),
        ...(h.retries ? { Retries: h.retries } : {}),
      };
      createdBy = healthcheckHistory(h);
      break;
    }
    case 'expose': {
      const ports = parsePortSpecs(inst.ports);
      cfg.ExposedPorts = { ...(cfg.ExposedPorts ?? {}) };
      for (const p of ports) cfg.ExposedPorts[p] = {};
      createdBy = exposeHistory(ports);
      break;
    }
    case 'volume':
      cfg.Volumes = { ...(cfg.Volumes ?? {}) };
      for (const v of inst.paths) {
        if (v === '') throw invalid('VOLUME specified can not be an empty string');
        cfg.Volumes[v] = {};
      }
      createdBy = volumeHistory(inst.paths);
      break;
    case 'user':
      cfg.User = inst.user;
      createdBy = `USER ${inst.user}`;
      break;
    case 'shell':
      cfg.Shell = [...inst.shell];
      createdBy = shellHistory(inst.shell);
      break;
    case 'stopsignal':
      checkSignal(inst.signal);
      cfg.StopSignal = inst.signal;
      createdBy = `STOPSIGNAL ${inst.signal}`;
      break;
    case 'maintainer':
      next = { ...next, author: inst.maintainer };
      createdBy = `MAINTAINER ${inst.maintainer}`;
      break;
    case 'onbuild':
      // BuildKit records ONBUILD in the config only, with no history entry.
      cfg.OnBuild = [...(cfg.OnBuild ?? []), inst.expression];
      return next;
    default:
      throw invalid(`${inst.kind.toUpperCase()} is not a metadata instruction`);
  }
  return appendHistory(next, createdBy, true, created);
}

function commandArgv(command: Extract<Instruction, { kind: 'cmd' }>['command'], cfg: ContainerConfig): string[] {
  return command.form === 'exec' ? [...command.argv] : [...shellOf(cfg), command.script];
}

const SIGNALS = new Set(
  'ABRT ALRM BUS CHLD CLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV STKFLT STOP SYS TERM TRAP TSTP TTIN TTOU URG USR1 USR2 VTALRM WINCH XCPU XFSZ'.split(' '),
);

/** moby/sys/signal.ParseSignal: a number, a name with or without SIG, or RTMIN+n / RTMAX-n. */
function checkSignal(sig: string): void {
  const s = sig.toUpperCase().replace(/^SIG/, '');
  if (/^[0-9]+$/.test(sig) && Number(sig) > 0 && Number(sig) <= 64) return;
  if (SIGNALS.has(s)) return;
  const rt = /^RT(MIN|MAX)(?:([+-])([0-9]+))?$/.exec(s);
  if (rt && Number(rt[3] ?? 0) <= 15) return;
  throw invalid(`Invalid signal: ${sig}`);
}
