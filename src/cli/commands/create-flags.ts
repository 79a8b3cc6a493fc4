// The flags `run` and `create` share (docker's ContainerOptions), and their translation into
// the engine's CreateOptions. Each flag is parsed by a small pure parser in ../parse.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { usageError } from '../../errors.js';
import type { CreateOptions } from '../../runtime/spec.js';
import { effectiveCapAddDrop, resolveCapabilities } from '../../runtime/capabilities.js';
import { collect } from '../context.js';
import { labelsToMap, parseEnvFlag, parseKeyValueFile, parseLabelFlag } from '../parse/env.js';
import { flagParser } from '../parse/flag-error.js';
import { parseCpuShares, parseCpus, parseMemorySwap, parsePidsLimit, ramInBytes } from '../parse/memory.js';
import { checkRestartWithAutoRemove, parseRestartPolicy } from '../parse/restart.js';
import { parseSignal } from '../parse/signal.js';
import { parsePublish } from '../parse/ports.js';
import { parseAddHost } from '../parse/hosts.js';
import { parseSecurityOpts } from '../parse/security-opt.js';
import { parseTmpfsFlag } from '../parse/tmpfs.js';

export function defineCreateFlags(cmd: Command): Command {
  return cmd
    .argument('<image>')
    .argument('[command...]')
    .passThroughOptions()
    .option('--name <string>', 'Assign a name to the container')
    .option('-e, --env <list>', 'Set environment variables', collect, [])
    .option('--env-file <list>', 'Read in a file of environment variables', collect, [])
    .option('-w, --workdir <string>', 'Working directory inside the container')
    .option('-u, --user <string>', 'Username or UID (format: <name|uid>[:<group|gid>])')
    .option('--entrypoint <string>', 'Overwrite the default ENTRYPOINT of the image')
    .option('-h, --hostname <string>', 'Container host name')
    .option('-l, --label <list>', 'Set meta data on a container', collect, [])
    .option('--label-file <list>', 'Read in a line delimited file of labels', collect, [])
    .option('-i, --interactive', 'Keep STDIN open even if not attached')
    .option('-t, --tty', 'Allocate a pseudo-TTY')
    .option('--init', 'Run an init inside the container that forwards signals and reaps processes')
    .option('--read-only', "Mount the container's root filesystem as read only")
    .option('--tmpfs <list>', 'Mount a tmpfs directory', collect, [])
    .option('--cap-add <list>', 'Add Linux capabilities', collect, [])
    .option('--cap-drop <list>', 'Drop Linux capabilities', collect, [])
    .option('--privileged', 'Give extended privileges to this container')
    .option('--security-opt <list>', 'Security Options', collect, [])
    .option('--group-add <list>', 'Add additional groups to join', collect, [])
    .option('--stop-signal <string>', 'Signal to stop the container')
    .option('--stop-timeout <int>', 'Timeout (in seconds) to stop a container', flagParser('--stop-timeout', (v) => {
      if (!/^-?[0-9]+$/.test(v)) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
      return Number(v);
    }))
    .option('--restart <string>', 'Restart policy to apply when a container exits', 'no')
    .option('--rm', 'Automatically remove the container and its associated anonymous volumes when it exits')
    .option('-m, --memory <bytes>', 'Memory limit', flagParser('-m, --memory', ramInBytes))
    .option('--memory-swap <bytes>', "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", flagParser('--memory-swap', parseMemorySwap))
    .option('--cpus <decimal>', 'Number of CPUs', flagParser('--cpus', parseCpus))
    .option('-c, --cpu-shares <int>', 'CPU shares (relative weight)', flagParser('-c, --cpu-shares', parseCpuShares))
    .option('--pids-limit <int>', 'Tune container pids limit (set -1 for unlimited)', flagParser('--pids-limit', (v) => parsePidsLimit(v) ?? -1))
    .option('--cgroup-parent <string>', 'Optional parent cgroup for the container')
    .option('--network <string>', 'Connect a container to a network', 'default')
    .addOption(new Option('--net <string>', 'Connect a container to a network').hideHelp())
    .option('--add-host <list>', 'Add a custom host-to-IP mapping (host:ip)', collect, [])
    .option('--dns <list>', 'Set custom DNS servers', collect, [])
    .option('--expose <list>', 'Expose a port or a range of ports', collect, [])
    .option('-p, --publish <list>', "Publish a container's port(s) to the host", collect, [])
    .option('-P, --publish-all', 'Publish all exposed ports to random ports')
    .option('-v, --volume <list>', 'Bind mount a volume', collect, [])
    .option('--mount <mount>', 'Attach a filesystem mount to the container', collect, [])
    .option('--volumes-from <list>', 'Mount volumes from the specified container(s)', collect, [])
    .option('--network-alias <list>', 'Add network-scoped alias for the container', collect, [])
    .option('--ip <string>', 'IPv4 address (e.g., 172.30.100.104)')
    .option('--platform <string>', 'Set platform if server is multi-platform capable')
    .option('--pull <string>', 'Pull image before running ("always", "missing", "never")', 'missing');
}

/** Options from the flags; image resolution and mounts are the caller's. */
export function createOptionsFromFlags(opts: Record<string, any>, env: NodeJS.ProcessEnv = process.env): Omit<CreateOptions, 'imageName' | 'imageId' | 'layers' | 'cmd' | 'name'> & { name?: string; mountFlags: string[]; volumesFrom: string[]; networkAliases: string[]; ipAddress?: string } {
  const lookup = (k: string) => env[k];
  const envList: string[] = [];
  for (const f of opts.envFile as string[]) envList.push(...parseKeyValueFile(readFileSync(f), f, lookup));
  for (const e of opts.env as string[]) envList.push(parseEnvFlag(e, lookup));
  const labelList: string[] = [];
  for (const f of opts.labelFile as string[]) labelList.push(...parseKeyValueFile(readFileSync(f), f));
  for (const l of opts.label as string[]) labelList.push(parseLabelFlag(l));
  const restart = parseRestartPolicy(opts.restart ?? 'no');
  checkRestartWithAutoRemove(restart, !!opts.rm);
  if (opts.stopSignal) parseSignal(opts.stopSignal);
  const securityOpt = opts.securityOpt as string[];
  const security = parseSecurityOpts(securityOpt);
  if (security.seccomp && security.seccomp.kind !== 'unconfined') {
    // util-linux 2.38 cannot load a filter (setpriv --seccomp-filter is 2.41+): refuse rather than pretend.
    throw usageError('seccomp profiles are not supported: minidock runs containers without a seccomp filter (see README)');
  }
  const tmpfs: Record<string, string> = {};
  for (const t of opts.tmpfs as string[]) {
    const spec = parseTmpfsFlag(t);
    tmpfs[spec.target] = spec.options;
  }
  const caps = effectiveCapAddDrop(opts.capAdd, opts.capDrop);
  resolveCapabilities(caps); // unknown names fail now, with docker's message
  const requested = opts.net ?? opts.network;
  const network = requested === 'default' ? 'bridge' : requested;
  const published = parsePublish(opts.publish, opts.expose);
  return {
    name: opts.name,
    entrypoint: opts.entrypoint,
    env: envList,
    workdir: opts.workdir,
    user: opts.user,
    hostname: opts.hostname,
    labels: labelsToMap(labelList),
    tty: !!opts.tty,
    interactive: !!opts.interactive,
    init: !!opts.init,
    readOnly: !!opts.readOnly,
    privileged: !!opts.privileged,
    capAdd: caps.add,
    capDrop: caps.drop,
    securityOpt,
    noNewPrivileges: security.noNewPrivileges,
    tmpfs,
    restart,
    autoRemove: !!opts.rm,
    stopSignal: opts.stopSignal,
    stopTimeout: opts.stopTimeout,
    memory: opts.memory ?? 0,
    memorySwap: opts.memorySwap ?? 0,
    nanoCpus: opts.cpus ?? 0,
    cpuShares: opts.cpuShares ?? 0,
    pidsLimit: opts.pidsLimit,
    cgroupParent: opts.cgroupParent ?? '',
    network,
    groupAdd: opts.groupAdd,
    extraHosts: (opts.addHost as string[]).map(parseAddHost),
    dns: opts.dns,
    portBindings: Object.fromEntries(published.bindings),
    publishAll: !!opts.publishAll,
    exposedPorts: published.exposed,
    networkAliases: opts.networkAlias,
    ipAddress: opts.ip,
    binds: opts.volume,
    mounts: [],
    mountFlags: opts.mount,
    volumesFrom: opts.volumesFrom,
  };
}
