// Fake cgroup trees in a temp dir: the directory layout and the few control files the
// drivers read, plus matching /proc/self/mountinfo and /proc/self/cgroup text.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface FakeTree {
  root: string;
  mountinfo: string;
  selfCgroup: string;
  cleanup(): void;
}

export function put(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

const V1 = ['cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'freezer', 'blkio', 'pids'];

/** This host's shape: v1 controllers, name=systemd, cgroup2 at unified with hugetlb only. */
export function fakeHybrid(opts: { swap?: boolean; memoryOwn?: string; coMountCpu?: boolean } = {}): FakeTree {
  const base = mkdtempSync(join(tmpdir(), 'minidock-cg-'));
  const root = join(base, 'cgroup');
  const own = opts.memoryOwn ?? '/process_api/abc';
  const lines: string[] = [`31 23 0:28 / ${root} rw,relatime - tmpfs tmpfs rw,mode=755`];
  const self: string[] = ['9:name=systemd:/'];
  const hierarchies: string[][] = opts.coMountCpu
    ? [['cpu', 'cpuacct'], ...V1.filter((c) => c !== 'cpu' && c !== 'cpuacct').map((c) => [c])]
    : V1.map((c) => [c]);
  hierarchies.forEach((ctrls, i) => {
    const mp = join(root, ctrls.join(','));
    mkdirSync(mp, { recursive: true });
    lines.push(`${32 + i} 31 0:${29 + i} / ${mp} rw,relatime - cgroup cgroup rw,${ctrls.join(',')}`);
    const path = ctrls.includes('memory') ? own : '/';
    self.push(`${i + 1}:${ctrls.join(',')}:${path}`);
    if (path !== '/') mkdirSync(join(mp, path), { recursive: true });
  });
  lines.push(`40 31 0:37 / ${join(root, 'systemd')} rw,relatime - cgroup cgroup rw,xattr,name=systemd`);
  lines.push(`41 31 0:38 / ${join(root, 'unified')} rw,relatime - cgroup2 cgroup2 rw`);
  mkdirSync(join(root, 'systemd'));
  put(join(root, 'unified', 'cgroup.controllers'), 'hugetlb\n');
  self.push('0::/');
  if (opts.swap ?? true) put(join(root, 'memory', 'memory.memsw.limit_in_bytes'), '9223372036854771712\n');
  put(join(root, 'cpuset', 'cpuset.cpus'), '0-1\n');
  put(join(root, 'cpuset', 'cpuset.mems'), '0\n');
  return { root, mountinfo: lines.join('\n') + '\n', selfCgroup: self.join('\n') + '\n', cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** A pure v2 host with this process in `own` (a systemd-style leaf). */
export function fakeV2(opts: { own?: string; rootControllers?: string; ownControllers?: string; ownSubtree?: string; swap?: boolean } = {}): FakeTree {
  const base = mkdtempSync(join(tmpdir(), 'minidock-cg2-'));
  const root = join(base, 'cgroup');
  const own = opts.own ?? '/user.slice/session-1.scope';
  put(join(root, 'cgroup.controllers'), (opts.rootControllers ?? 'cpuset cpu io memory hugetlb pids rdma misc') + '\n');
  put(join(root, 'cgroup.subtree_control'), 'cpu memory pids\n');
  const ownDir = join(root, own);
  if (own !== '/') {
    put(join(ownDir, 'cgroup.controllers'), (opts.ownControllers ?? 'cpu memory pids') + '\n');
    put(join(ownDir, 'cgroup.subtree_control'), opts.ownSubtree ?? '');
    put(join(ownDir, 'memory.max'), 'max\n');
    if (opts.swap ?? true) put(join(ownDir, 'memory.swap.max'), 'max\n');
  }
  const mountinfo = `25 30 0:22 / ${root} rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n`;
  return { root, mountinfo, selfCgroup: `0::${own}\n`, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}
