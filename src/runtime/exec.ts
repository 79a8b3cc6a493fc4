// `exec`: a new process in a running container. The chain enters the container's
// namespaces with nsenter and runs `minidock-shim enter` through a file descriptor, so the
// host binaries that briefly live inside the container's PID namespace are read-only there:
//
//   unshare -m (a private mount namespace in which /usr and the shim are bind-mounted ro)
//   → sh (join the container's cgroups, open the shim as fd 4, the init's mount and pid
//     namespaces as fds 5 and 6)
//   → nsenter --target PID --uts --ipc --net --cgroup
//   → /proc/self/fd/4 enter --mount-ns 5 --pid-ns 6 (join them, fork; caps, user, cwd, env) → CMD
//
// Not `nsenter --mount --root --pid`: nsenter would look up the shim *inside* the container's
// mount namespace, with every capability, and the init may have moved into a user and mount
// namespace of its own, where it can mount anything over /proc/self/fd/4 (see shim.c
// join_container). The shim is exec'd from the host side and joins the namespaces itself.
//
// CVE-2019-5736: a container process that grabs /proc/PID/exe of a host helper (or makes the
// helper re-exec itself through a `#!/proc/self/exe` script) can only ever reopen it on a
// read-only mount.
import type { Container } from './model.js';
import { capabilityMask, resolveCapabilities } from './capabilities.js';
import { processEnv } from './spec.js';
import type { ExecUser } from './users.js';
import type { Tools } from './tools.js';
import { JOIN_LOOP } from './start-plan.js';

export interface ExecRequest {
  cmd: string[];
  env: string[];
  workdir?: string;
  user: ExecUser;
  privileged?: boolean;
}

export const EXEC_SCRIPT = [
  'set -eu',
  '# $1 the shim  $2 the container init\'s pid  $3 number of cgroup.procs files, then the files, then the nsenter argv',
  'mount --bind -o ro /usr /usr',
  'mount --bind -o ro "$1" "$1"',
  'exec 4<"$1" 5<"/proc/$2/ns/mnt" 6<"/proc/$2/ns/pid"',
  'n=$3; shift 3',
  JOIN_LOOP,
  'exec "$@"',
].join('\n');

export function planExec(t: Tools, c: Container, pid: number, cgroupProcs: string[], req: ExecRequest): string[] {
  const hc = c.HostConfig;
  const caps = resolveCapabilities({ add: hc.CapAdd, drop: hc.CapDrop, privileged: hc.Privileged || !!req.privileged });
  const enter = [
    '/proc/self/fd/4',
    'enter',
    '--mount-ns',
    '5',
    '--pid-ns',
    '6',
    // joining the mount namespace made its root (the container's, pivoted at start) our root
    // and cwd; chroot("/") only confirms it. (Never nsenter --wd=DIR: nsenter opens DIR
    // *before* entering, i.e. on the host, and a chroot(".") from there lands in the host's root.)
    '--root',
    '/',
    '--caps',
    capabilityMask(caps),
    ...(hc.NoNewPrivileges ? ['--no-new-privs'] : []),
    '--user',
    `${req.user.uid}:${req.user.gid}`,
    '--groups',
    req.user.groups.join(','),
    '--wd',
    req.workdir || c.Config.WorkingDir || '/',
    '--sync-fd',
    '3',
    ...processEnv(c, req.user.home, req.env).flatMap((e) => ['--env', e]),
    '--',
    ...req.cmd,
  ];
  const nsenter = [t.nsenter, '--target', String(pid), '--uts', '--ipc', '--net', '--cgroup', '--', ...enter];
  return [t.unshare, '--mount', '--propagation', 'private', '--', t.sh, '-c', EXEC_SCRIPT, 'minidock-exec', t.shim, String(pid), String(cgroupProcs.length), ...cgroupProcs, ...nsenter];
}
