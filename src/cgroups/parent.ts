// Where a container's cgroup goes in one hierarchy: `<parent>/<container-id>`. An absolute
// --cgroup-parent starts at the hierarchy's root (default /minidock, as Docker uses /docker);
// a relative one starts at the cgroup minidock itself runs in, so tests and nested engines
// keep everything beneath their own cgroup.
import { posix } from 'node:path';
import { usageError, MinidockError } from '../errors.js';
import type { CgroupDir } from './driver.js';

export const DEFAULT_CGROUP_PARENT = '/minidock';

export interface CgroupChain {
  /** The existing cgroup the chain starts from: the hierarchy root or our own cgroup. */
  base: string;
  /** Parents then the container's directory, shallowest first. */
  dirs: CgroupDir[];
  container: string;
}

/** Parent components, checked: no `.`/`..` (a relative parent must not climb out of our cgroup). */
export function parseCgroupParent(parent: string | undefined): { relative: boolean; components: string[] } {
  const p = parent === undefined || parent === '' ? DEFAULT_CGROUP_PARENT : parent;
  const components = p.split('/').filter((c) => c !== '');
  for (const c of components) {
    if (c === '.' || c === '..' || /[\0\n]/.test(c)) {
      throw usageError(`invalid --cgroup-parent ${JSON.stringify(p)}: "${c}" is not allowed in a cgroup path`);
    }
  }
  return { relative: !p.startsWith('/'), components };
}

export function checkCgroupName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
    throw usageError(`invalid cgroup name ${JSON.stringify(name)}: use letters, digits, '_', '.', '-'`);
  }
}

/** The directories for one hierarchy (`mountpoint`), with `ownDir` this process's cgroup there. */
export function planChain(name: string, parent: string | undefined, hierarchy: { mountpoint: string; ownDir?: string }): CgroupChain {
  checkCgroupName(name);
  const { relative, components } = parseCgroupParent(parent);
  let base = hierarchy.mountpoint;
  if (relative) {
    if (hierarchy.ownDir === undefined) {
      throw new MinidockError(`cannot place a relative --cgroup-parent in ${hierarchy.mountpoint}: this process's own cgroup is not visible there`, {
        kind: 'host',
        hint: 'use an absolute --cgroup-parent such as /minidock',
        context: { hierarchy: hierarchy.mountpoint },
      });
    }
    base = hierarchy.ownDir;
  }
  // Parents that are ours go when their last container does: those beneath our own cgroup,
  // and the engine's default /minidock. An absolute parent the user names (/system.slice/…)
  // may belong to someone else and is kept.
  const ours = relative || parent === undefined || parent === '';
  const dirs: CgroupDir[] = [];
  let at = base;
  for (const c of components) {
    at = posix.join(at, c);
    dirs.push({ path: at, hierarchy: hierarchy.mountpoint, role: 'parent', removeWhenEmpty: ours });
  }
  const container = posix.join(at, name);
  dirs.push({ path: container, hierarchy: hierarchy.mountpoint, role: 'container', removeWhenEmpty: true });
  return { base, dirs, container };
}
