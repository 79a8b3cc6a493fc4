// Docker's default device cgroup rules: what a container may open and mknod. Part of the
// container's security on v1, where the devices controller enforces them: without it a
// process with CAP_MKNOD (in Docker's default set) could create /dev/sda and read the disk.
//
// cgroup v2 has no devices.* files: device access is checked by an eBPF program of type
// BPF_PROG_TYPE_CGROUP_DEVICE attached to the cgroup (runc/crun generate one), which needs
// bpf(2) and cannot be done with shell tools. minidock does not attach one; on v2 it relies on
// the runtime mounting the container's rootfs and /dev with `nodev`, so a device node created
// there cannot be opened, and on binding only the allowed devices below into /dev.
// See https://docs.kernel.org/admin-guide/cgroup-v1/devices.html and
// https://docs.kernel.org/admin-guide/cgroup-v2.html#device-controller

/** A line for devices.allow / devices.deny: `type major:minor access`. */
export interface DeviceRule {
  allow: boolean;
  rule: string;
  /** Why the rule is there (a device path), shown in --dry-run. */
  note: string;
}

/**
 * Deny everything, then allow: the list a Docker container shows in devices.list
 * (moby oci/defaults.go plus runc's libcontainer/specconv AllowedDevices).
 */
export const DEFAULT_DEVICE_RULES: readonly DeviceRule[] = [
  { allow: false, rule: 'a', note: 'deny all devices, then allow the defaults' },
  { allow: true, rule: 'c *:* m', note: 'mknod of any character device (opening it stays denied)' },
  { allow: true, rule: 'b *:* m', note: 'mknod of any block device (opening it stays denied)' },
  { allow: true, rule: 'c 1:3 rwm', note: '/dev/null' },
  { allow: true, rule: 'c 1:5 rwm', note: '/dev/zero' },
  { allow: true, rule: 'c 1:7 rwm', note: '/dev/full' },
  { allow: true, rule: 'c 1:8 rwm', note: '/dev/random' },
  { allow: true, rule: 'c 1:9 rwm', note: '/dev/urandom' },
  { allow: true, rule: 'c 5:0 rwm', note: '/dev/tty' },
  { allow: true, rule: 'c 5:1 rwm', note: '/dev/console' },
  { allow: true, rule: 'c 5:2 rwm', note: '/dev/ptmx' },
  { allow: true, rule: 'c 136:* rwm', note: '/dev/pts/*' },
  // /dev/net/tun: Docker still allows it (runc 1.2 dropped it and re-added it after
  // regressions, opencontainers/runc#3468); creating a tun device needs CAP_NET_ADMIN anyway.
  { allow: true, rule: 'c 10:200 rwm', note: '/dev/net/tun' },
];

/** The rules as [file, value] writes for a v1 devices cgroup. */
export function deviceWrites(rules: readonly DeviceRule[] = DEFAULT_DEVICE_RULES): { file: string; value: string; note: string }[] {
  return rules.map((r) => ({ file: r.allow ? 'devices.allow' : 'devices.deny', value: r.rule, note: r.note }));
}
