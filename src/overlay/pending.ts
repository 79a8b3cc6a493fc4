// Work an unpack queues for the end of the layer, and why it must wait:
// - directory owner/mode/mtime: creating children changes a dir's mtime, and a 0555 or
//   setgid mode would get in the way of (or change the group of) what is created inside;
// - xattrs: chown clears security.capability, so they go on after every chown; and one
//   `setfattr --restore` process per layer is cheaper than one per file;
// - opaque markers: one `setfattr` for all of them.
// When an entry is removed later in the same archive, what was queued for it is forgotten,
// so that nothing is applied to whatever takes its place.
import { closeSync, constants as C, fchmodSync, fchownSync, futimesSync, openSync } from 'node:fs';
import type { Host } from '../host/host.js';
import type { WarningList } from './warnings.js';
import { OPAQUE_XATTR, renderRestore, type XattrAssignment } from './xattrs.js';

// O_NOFOLLOW: if a queued directory was swapped for a symlink, fail rather than follow it.
const OPEN_DIR = C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW;

export interface DirMeta {
  uid: number;
  gid: number;
  mode: number;
  mtime: number;
}

export class PendingWork {
  readonly dirMeta = new Map<string, DirMeta>(); // absolute path -> metadata
  /** Directories to mark with trusted.overlay.opaque=y (overlay mode), absolute. */
  readonly opaque = new Set<string>();
  private xattrs: XattrAssignment[] = [];

  constructor(private readonly dest: string) {}

  addXattr(abs: string, name: string, value: Buffer): void {
    this.xattrs.push({ path: this.relative(abs), name, value });
  }

  /** Drops what was queued for `abs` and everything below it. */
  forget(abs: string): void {
    const under = (p: string) => p === abs || p.startsWith(`${abs}/`);
    for (const p of this.dirMeta.keys()) if (under(p)) this.dirMeta.delete(p);
    for (const p of this.opaque) if (under(p)) this.opaque.delete(p);
    if (this.xattrs.length) {
      const rel = this.relative(abs);
      this.xattrs = this.xattrs.filter((x) => x.path !== rel && !x.path.startsWith(`${rel}/`));
    }
  }

  /** In an order that keeps each step true: opaque and xattrs, then directory times last. */
  async apply(host: Host, preserveOwner: boolean, warnings: WarningList): Promise<void> {
    if (this.opaque.size) {
      const rels = [...this.opaque].map((p) => this.relative(p));
      for (const chunk of chunks(rels, 64 * 1024)) {
        // Relative to dest, so that the dry-run and debug lines stay readable.
        await host.run(['setfattr', '-h', '-n', OPAQUE_XATTR, '-v', 'y', '--', ...chunk], {
          cwd: this.dest,
          why: 'marking the opaque directories of a layer for overlayfs',
        });
      }
    }
    if (this.xattrs.length) {
      const r = await host.run(['setfattr', '-h', '--restore=-'], {
        cwd: this.dest,
        input: renderRestore(this.xattrs),
        allowFailure: true, // an fs without user xattrs must not fail the layer: reported instead
        why: 'setting the extended attributes of a layer',
      });
      for (const line of r.stderr.split('\n')) if (line.trim()) warnings.add('extended attribute not set', line.trim());
    }
    for (const [abs, m] of this.dirMeta) {
      const fd = openSync(abs, OPEN_DIR);
      try {
        if (preserveOwner) fchownSync(fd, m.uid, m.gid);
        fchmodSync(fd, m.mode); // after chown, which clears setgid
        futimesSync(fd, m.mtime, m.mtime);
      } finally {
        closeSync(fd);
      }
    }
  }

  private relative(abs: string): string {
    return abs === this.dest ? '.' : abs.slice(this.dest.length + 1);
  }
}

/** Argument lists whose total length stays under `max` bytes (ARG_MAX is far above). */
function* chunks(items: string[], max: number): Generator<string[]> {
  let cur: string[] = [];
  let size = 0;
  for (const it of items) {
    if (cur.length && size + it.length + 1 > max) {
      yield cur;
      cur = [];
      size = 0;
    }
    cur.push(it);
    size += it.length + 1;
  }
  if (cur.length) yield cur;
}
