// OCI whiteouts (`.wh.NAME`, `.wh..wh..opq`) while unpacking. Two translations:
// - overlay: into overlayfs's own form, for a snapshot used as a lowerdir. A deleted NAME
//   becomes a character device 0/0; an opaque directory gets trusted.overlay.opaque=y.
//   https://docs.kernel.org/filesystems/overlayfs.html#whiteouts-and-opaque-directories
// - apply: onto a merged tree (ADD of a layer tar, a cp): NAME is deleted, an opaque
//   directory loses the children it had.
// OCI image-spec layer.md: whiteouts "MUST only apply to resources in lower/parent layers",
// so both modes leave alone what this same layer wrote (Extractor.written).
//
// Whiteout devices are made once per layer with `mknod` through the Host and then
// hard-linked: overlayfs itself shares one whiteout inode between many names (since
// Linux 5.8, see ovl_whiteout()), and a link() is a syscall where mknod is a process.
import { randomBytes } from 'node:crypto';
import { linkSync, lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { errnoCode, invalid } from '../errors.js';
import type { Extractor } from './extract.js';
import type { TarHeader } from './tar/header.js';

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

export class Whiteouts {
  private template: string | undefined;
  private readonly templates: string[] = [];
  /** overlay: paths whited out by this layer; a directory added there later must be opaque. */
  private readonly whitedOut = new Set<string>();

  constructor(private readonly ex: Extractor) {}

  static isWhiteout(base: string): boolean {
    return base.startsWith(WHITEOUT_PREFIX);
  }

  /** Inside AUFS's bookkeeping dirs at the top (.wh..wh.plnk/…): skipped, as Docker does. */
  static isAufsMeta(rel: string): boolean {
    return rel.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX) && rel.includes('/');
  }

  /** Handles an entry whose base name starts with `.wh.`. */
  add(h: TarHeader, rel: string): void | Promise<void> {
    const slash = rel.lastIndexOf('/');
    const dirRel = slash === -1 ? '' : rel.slice(0, slash);
    const base = rel.slice(slash + 1);
    if (base === OPAQUE_MARKER) return this.opaque(dirRel, rel);
    if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX) || Whiteouts.isAufsMeta(rel)) {
      // AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs): meaningless here, skipped as Docker does.
      this.ex.warnings.add('skipped AUFS metadata entry', h.name);
      return;
    }
    const victim = base.slice(WHITEOUT_PREFIX.length);
    if (victim === '' || victim === '.' || victim === '..') {
      throw invalid(`whiteout ${JSON.stringify(h.name)} names ${JSON.stringify(victim)}, which is not a file name`);
    }
    return this.ex.opts.mode === 'overlay' ? this.overlayWhiteout(rel, victim) : this.applyWhiteout(dirRel, victim);
  }

  /** Called for every directory the layer creates: opaque if this layer whited it out. */
  directoryAdded(abs: string): void {
    if (this.whitedOut.has(abs)) this.ex.pending.opaque.add(abs);
  }

  private overlayWhiteout(rel: string, victim: string): void | Promise<void> {
    const parent = this.ex.parentOf(rel);
    const abs = `${parent.abs}/${victim}`;
    if (this.ex.written.has(abs)) {
      // The layer both adds and deletes NAME: what it adds wins; a directory of its own must
      // still hide the lower one's contents, which is what opaque means.
      if (lstatSync(abs, { throwIfNoEntry: false })?.isDirectory()) this.ex.pending.opaque.add(abs);
      return;
    }
    this.whitedOut.add(abs);
    this.ex.removeExisting(abs, false);
    if (this.template) return this.link(abs);
    return this.makeTemplate().then(() => this.link(abs));
  }

  private applyWhiteout(dirRel: string, victim: string): void {
    const dir = this.ex.dir(dirRel, false);
    if (!dir) return; // nothing there to delete
    const abs = `${dir.abs}/${victim}`;
    if (!this.ex.written.has(abs)) this.ex.removeExisting(abs, false);
    // The layer added this directory before deleting the lower one (an order the spec
    // discourages): what the lower layers had in it goes, what this layer wrote stays.
    else if (lstatSync(abs).isDirectory()) this.clearLower(abs);
  }

  private opaque(dirRel: string, rel: string): void {
    if (this.ex.opts.mode === 'overlay') {
      this.ex.pending.opaque.add(this.ex.parentOf(rel).abs);
      return;
    }
    const dir = this.ex.dir(dirRel, false);
    if (dir) this.clearLower(dir.abs);
  }

  /** apply mode: removes the children of `dirAbs` that this layer did not write. */
  private clearLower(dirAbs: string): void {
    for (const name of readdirSync(dirAbs)) {
      const abs = `${dirAbs}/${name}`;
      if (!this.ex.written.has(abs)) this.ex.removeExisting(abs, false);
    }
  }

  private async makeTemplate(): Promise<void> {
    // Inside dest so that link() stays on one filesystem; removed again in finish().
    const path = `${this.ex.dest}/.minidock-whiteout-${randomBytes(8).toString('hex')}`;
    await this.ex.host.run(['mknod', '-m', '000', path, 'c', '0', '0'], { why: 'creating the whiteout device of a layer' });
    this.template = path;
    this.templates.push(path);
  }

  private link(abs: string): void | Promise<void> {
    try {
      linkSync(this.template!, abs);
    } catch (e) {
      // ext4 allows 65000 links to an inode; a layer that deletes more gets another device.
      if (errnoCode(e) !== 'EMLINK') throw e;
      return this.makeTemplate().then(() => linkSync(this.template!, abs));
    }
  }

  /** Removes the template devices; before directory times are set, since it changes dest's. */
  finish(): void {
    for (const t of this.templates) unlinkSync(t);
    this.templates.length = 0;
    this.template = undefined;
  }
}
