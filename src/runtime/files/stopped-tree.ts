// A stopped (or created) container's root filesystem without mounting it: the overlay's
// layers — the container's upper dir, its init layer, the image's snapshots, top first —
// merged the way overlayfs merges them (a whiteout hides a name, a directory merges with
// the same directory below until a non-directory or an opaque one), and its volumes and
// bind mounts at their targets, as docker mounts them for `cp`.
// https://docs.kernel.org/filesystems/overlayfs.html
//
// Writes go into the upper dir, as overlayfs would make them: the directories above a new
// entry are copied up first (the lower one's owner, mode and times), a whiteout in the way
// is removed, and a directory created where a whiteout was becomes opaque so that the
// deleted lower directory does not show through. Writes below a volume or bind target go
// to its source on the host; a read-only one is refused by the caller (cp.ts).
import { chmodSync, lchownSync, mkdirSync, readdirSync, readlinkSync, unlinkSync, utimesSync, type Stats } from 'node:fs';
import type { Engine } from '../../engine.js';
import { MinidockError } from '../../errors.js';
import type { Host } from '../../host/host.js';
import { Snapshots } from '../../image/store/snapshots.js';
import { cleanPath } from '../../overlay/securejoin.js';
import { OPAQUE_XATTR } from '../../overlay/xattrs.js';
import type { Container } from '../model.js';
import { containerPaths } from '../prepare.js';
import { isWhiteout, LayerStack, readOpaqueDirs } from './layer-stack.js';
import { joinRel, lstatQuiet, resolveIn, sortNames, type WritableTree } from './tree.js';

export interface TreeMount {
  /** Where it is seen: relative to the root, symlink-free. */
  rel: string;
  source: string;
  rw: boolean;
}

export class StoppedTree implements WritableTree {
  private readonly newOpaque = new Set<string>();
  private readonly stack: LayerStack;

  private constructor(
    private readonly host: Host,
    readonly upper: string,
    /** Top first; the upper dir is always first, even before it exists. */
    readonly layers: readonly string[],
    opaque: ReadonlySet<string>,
    readonly mounts: readonly TreeMount[],
  ) {
    this.stack = new LayerStack(layers, opaque, this.newOpaque);
  }

  static async open(engine: Engine, c: Container): Promise<StoppedTree> {
    const p = containerPaths(engine, c.Id);
    const snaps = new Snapshots(engine);
    const lower = [p.init, ...[...c.Layers].reverse().map((l) => snaps.fsDir(l))].filter((d) => lstatQuiet(d)?.isDirectory());
    const layers = [p.upper, ...lower];
    const opaque = await readOpaqueDirs(engine.host, layers);
    const bare = new StoppedTree(engine.host, p.upper, layers, opaque, []);
    // A target is where the mount lands once its path is resolved in the image (start does
    // the same): `-v x:/var/run/y` with /var/run -> /run is seen at run/y.
    const mounts: TreeMount[] = [];
    for (const m of c.Mounts) {
      if (m.Type !== 'bind' && m.Type !== 'volume') continue; // a tmpfs holds nothing while stopped
      let rel: string;
      try {
        rel = resolveIn(bare, cleanPath(`/${m.Destination}`), true).rel;
      } catch {
        continue; // a target the image cannot hold; start refuses it too
      }
      if (rel !== '') mounts.push({ rel, source: m.Source, rw: m.RW });
    }
    mounts.sort((a, b) => b.rel.length - a.rel.length);
    return new StoppedTree(engine.host, p.upper, layers, opaque, mounts);
  }

  /** The volume or bind mount that `rel` is in (the deepest one), and the path below it. */
  mountFor(rel: string): { mount: TreeMount; abs: string } | undefined {
    for (const m of this.mounts) {
      if (rel === m.rel) return { mount: m, abs: m.source };
      if (rel.startsWith(`${m.rel}/`)) return { mount: m, abs: `${m.source}/${rel.slice(m.rel.length + 1)}` };
    }
    return undefined;
  }

  private node(rel: string) {
    return this.stack.node(rel);
  }

  lstat(rel: string): Stats | undefined {
    const m = this.mountFor(rel);
    if (m) return lstatQuiet(m.abs);
    return this.node(rel)?.st;
  }

  readlink(rel: string): string {
    const m = this.mountFor(rel);
    return readlinkSync(m ? m.abs : this.node(rel)!.abs);
  }

  readdir(rel: string): string[] {
    const m = this.mountFor(rel);
    if (m) return sortNames(readdirSync(m.abs));
    const shown = this.stack.names(rel);
    // A target the layers lack (a container never started has no init layer yet).
    for (const mount of this.mounts) {
      const slash = mount.rel.lastIndexOf('/');
      if ((slash < 0 ? '' : mount.rel.slice(0, slash)) === rel && !shown.includes(mount.rel.slice(slash + 1))) shown.push(mount.rel.slice(slash + 1));
    }
    return sortNames(shown);
  }

  contentPath(rel: string): string {
    const m = this.mountFor(rel);
    return m ? m.abs : this.node(rel)!.abs;
  }

  display(rel: string): string {
    return `/${rel}`;
  }

  /** The upper dir's copy of the merged directory `rel`, made as overlayfs copies up. */
  private copyUp(rel: string): string {
    mkdirSync(this.upper, { recursive: true, mode: 0o755 });
    let cur = '';
    for (const part of rel.split('/').filter(Boolean)) {
      cur = joinRel(cur, part);
      const abs = `${this.upper}/${cur}`;
      const st = lstatQuiet(abs);
      if (st?.isDirectory()) continue;
      const lower = this.node(cur);
      if (st || !lower?.st.isDirectory()) {
        throw new MinidockError(`/${cur} is not a directory in the container's filesystem`, { kind: 'invalid' });
      }
      mkdirSync(abs, 0o700);
      lchownSync(abs, lower.st.uid, lower.st.gid);
      chmodSync(abs, lower.st.mode & 0o7777); // after chown, which clears setgid; abs is our new dir
      utimesSync(abs, lower.st.atime, lower.st.mtime);
      this.stack.invalidate();
    }
    return rel === '' ? this.upper : `${this.upper}/${rel}`;
  }

  async writableDir(rel: string): Promise<string> {
    const m = this.mountFor(rel);
    return m ? m.abs : this.copyUp(rel);
  }

  async prepareCreate(dirRel: string, name: string, kind: 'dir' | 'other'): Promise<string> {
    const rel = joinRel(dirRel, name);
    if (this.mounts.some((m) => m.rel === rel)) {
      throw new MinidockError(`cannot replace /${rel}: a volume or bind mount is mounted there`, { kind: 'conflict' });
    }
    const abs = `${await this.writableDir(dirRel)}/${name}`;
    const st = lstatQuiet(abs);
    if (st?.isDirectory()) throw new MinidockError(`cannot replace directory /${rel}`, { kind: 'conflict' });
    if (st) {
      unlinkSync(abs);
      // A directory where a whiteout was must hide the deleted lower directory's entries.
      if (kind === 'dir' && isWhiteout(st) && !this.mountFor(dirRel)) this.newOpaque.add(abs);
    }
    this.stack.invalidate();
    return abs;
  }

  linkSource(rel: string, intoDirRel: string): string | undefined {
    const target = this.mountFor(rel);
    const into = this.mountFor(intoDirRel);
    if (target || into) return target && into && target.mount === into.mount ? target.abs : undefined;
    const abs = `${this.upper}/${rel}`;
    const st = lstatQuiet(abs);
    return st && !isWhiteout(st) && !st.isDirectory() ? abs : undefined; // a lower file is copied, not linked
  }

  async finish(): Promise<void> {
    if (this.newOpaque.size === 0) return;
    await this.host.run(['setfattr', '-h', '-n', OPAQUE_XATTR, '-v', 'y', '--', ...this.newOpaque], {
      why: 'marking directories that replace deleted ones as opaque in the container\'s upper dir',
    });
    this.newOpaque.clear();
  }
}
