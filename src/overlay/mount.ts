// Planning the overlayfs mount of a container's root: the argv for `mount -t overlay`, the
// directory to run it in, and the symlinks to make first when those are needed. Pure.
//
// Why relative paths and links: mount(2) copies its options into one page and cuts them
// at PAGE_SIZE - 1 bytes (copy_mount_options(), then data_page[PAGE_SIZE - 1] = 0 in
// path_mount()). util-linux 2.38 here uses mount(2), not fsconfig(2), so `lowerdir=` with
// 60 absolute 90-byte snapshot paths cannot be passed. Overlayfs resolves relative lower
// paths against the mounting process's cwd, so from the common parent of the snapshots each
// costs only its own name. When even that is too long (snapshot dirs are `<64 hex>/fs`, 67
// bytes: about 55 layers fit), the plan asks for short links `<linkDir>/0`, `/1`, ... to
// the snapshot dirs and mounts from linkDir, as Docker's overlay2 does with its `l/` dir.
// Overlayfs follows them once at mount time; after that they can go.
import { dirname, isAbsolute, relative } from 'node:path';
import { invalid } from '../errors.js';

/** mount(2) keeps PAGE_SIZE - 1 bytes of options (x86-64 and arm64 default pages: 4 KiB). */
export const MOUNT_OPTIONS_MAX = 4095;
/** Overlayfs's limit on lower layers (OVL_MAX_STACK). */
export const MAX_LOWER_DIRS = 500;

/**
 * Options every container root is mounted with, and why.
 * - index=off: the index ties an upper dir to one set of lowers and is not needed without
 *   NFS export; Docker's overlay2 sets it off too.
 * - redirect_dir=off: renaming a lower directory copies it up instead of recording an
 *   xattr redirect, so diffUpper sees the whole directory in upper.
 * - metacopy=off: a chmod copies the whole file up, so upper never holds metadata-only
 *   files whose data diffUpper would miss.
 */
export const OVERLAY_FIXED_OPTIONS = ['index=off', 'redirect_dir=off', 'metacopy=off'] as const;

export interface OverlayLayout {
  /** Snapshot dirs in overlayfs order: the top-most layer first, the base image last. */
  lowerDirs: readonly string[];
  upperDir: string;
  workDir: string;
  target: string;
  /** A per-container directory for short links, used only when relative paths are too long. */
  linkDir?: string;
  /** The mount's source name, shown in /proc/mounts: put the container id in it to find leaks. */
  source?: string;
}

export interface OverlayMountPlan {
  argv: string[];
  /** Run the mount here when the options hold relative paths; undefined for absolute ones. */
  cwd?: string;
  /** Symlinks to create (path -> target) before mounting; empty unless linkDir was needed. */
  links: { path: string; target: string }[];
}

export function planOverlayMount(layout: OverlayLayout): OverlayMountPlan {
  const { lowerDirs, upperDir, workDir, target } = layout;
  if (lowerDirs.length === 0) throw invalid('an overlay mount needs at least one lower directory');
  if (lowerDirs.length > MAX_LOWER_DIRS) {
    throw invalid(`the image has ${lowerDirs.length} layers; overlayfs stacks at most ${MAX_LOWER_DIRS}`);
  }
  for (const p of [...lowerDirs, upperDir, workDir, target, ...(layout.linkDir ? [layout.linkDir] : [])]) checkPath(p);
  const argv = (options: string) => ['mount', '-t', 'overlay', '-o', options, layout.source ?? 'overlay', target];

  const absolute = renderOptions(lowerDirs, upperDir, workDir);
  if (absolute.length <= MOUNT_OPTIONS_MAX) return { argv: argv(absolute), links: [] };

  const cwd = commonDir(lowerDirs);
  const rel = (p: string) => relative(cwd, p) || '.';
  const fromParent = renderOptions(lowerDirs.map(rel), shorter(upperDir, rel(upperDir)), shorter(workDir, rel(workDir)));
  if (fromParent.length <= MOUNT_OPTIONS_MAX) return { argv: argv(fromParent), cwd, links: [] };

  const linkDir = layout.linkDir;
  if (!linkDir) {
    throw invalid(`the overlay options for ${lowerDirs.length} layers are ${fromParent.length} bytes, over the kernel's ${MOUNT_OPTIONS_MAX}`, {
      hint: 'pass a linkDir so that short links can stand for the layer directories',
    });
  }
  const links = lowerDirs.map((dir, i) => ({ path: `${linkDir}/${i.toString(36)}`, target: dir }));
  const viaLinks = renderOptions(
    lowerDirs.map((_, i) => i.toString(36)),
    shorter(upperDir, relative(linkDir, upperDir)),
    shorter(workDir, relative(linkDir, workDir)),
  );
  if (viaLinks.length > MOUNT_OPTIONS_MAX) {
    throw invalid(`the overlay options are ${viaLinks.length} bytes even with short links, over the kernel's ${MOUNT_OPTIONS_MAX}`);
  }
  return { argv: argv(viaLinks), cwd: linkDir, links };
}

function renderOptions(lowers: readonly string[], upper: string, work: string): string {
  return [`lowerdir=${lowers.join(':')}`, `upperdir=${upper}`, `workdir=${work}`, ...OVERLAY_FIXED_OPTIONS].join(',');
}

function shorter(a: string, b: string): string {
  return b.length < a.length ? b : a;
}

/** The deepest directory that contains every path. */
function commonDir(paths: readonly string[]): string {
  let common = dirname(paths[0]);
  for (const p of paths) {
    while (common !== '/' && p !== common && !p.startsWith(`${common}/`)) common = dirname(common);
  }
  return common;
}

/**
 * Overlay splits lowerdir at ':' and the options at ','. The kernel (6.5+) accepts `\,` and
 * `\:` escapes, but mount(8) splits -o at every comma before the kernel sees it, so an
 * escaped `/x\,ro` would reach libmount as a separate `ro` flag; it also reads quotes.
 * Engine paths never hold these characters; a --root that does is refused here, clearly.
 */
function checkPath(p: string): void {
  if (!isAbsolute(p)) throw invalid(`overlay mount paths must be absolute: ${JSON.stringify(p)}`);
  if (/[,:\\"'\n]/.test(p)) {
    throw invalid(`cannot use ${JSON.stringify(p)} in overlay mount options: it contains , : \\ " ' or a newline`, {
      hint: 'choose a --root without those characters',
    });
  }
}
