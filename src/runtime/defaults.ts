// docker's security defaults for a container (moby oci/defaults.go): the paths of /proc and
// /sys that are masked or read-only. Masking only applies to paths this kernel has.
import { statSync } from 'node:fs';

export const MASKED_PATHS = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/interrupts',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

export const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** Split masked paths into files (covered by /dev/null) and dirs (covered by an empty read-only tmpfs), dropping absent ones. */
export function existingMasks(paths: readonly string[] = MASKED_PATHS): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [];
  for (const p of paths) {
    try {
      (statSync(p).isDirectory() ? dirs : files).push(p);
    } catch {
      /* this kernel has no such file: nothing to mask */
    }
  }
  return { files, dirs };
}

export function existingPaths(paths: readonly string[] = READONLY_PATHS): string[] {
  return paths.filter((p) => {
    try {
      statSync(p);
      return true;
    } catch {
      return false;
    }
  });
}
