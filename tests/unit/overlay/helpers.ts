// Shared by the overlay tests: archives crafted with tar-stream (an implementation
// independent of ours), temp dirs that are always removed, and a tree description read
// with plain fs calls to compare directories without trusting our own walker.
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack, type Header } from 'tar-stream';

export interface CraftedEntry extends Partial<Omit<Header, 'name' | 'pax'>> {
  name: string;
  content?: string | Buffer;
  pax?: Record<string, string>;
}

/** A tar built by tar-stream, entries written exactly as given (`../x`, `/etc/x` included). */
export async function craftTar(entries: CraftedEntry[]): Promise<Buffer> {
  const p = pack();
  const out: Buffer[] = [];
  p.on('data', (b) => void out.push(b as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', resolve);
    p.on('error', reject);
  });
  for (const { content, ...h } of entries) {
    // Owned by whoever runs the test unless said otherwise: the same results as root or not.
    const owner = { uid: process.geteuid?.() ?? 0, gid: process.getegid?.() ?? 0 };
    const header = { mtime: new Date(1_700_000_000_000), type: 'file' as const, ...owner, ...h } as Header;
    await new Promise<void>((resolve, reject) => p.entry(header, content ?? '', (err) => (err ? reject(err) : resolve())));
  }
  p.finalize();
  await done;
  return Buffer.concat(out);
}

/** A Readable that hands out `buf` in chunks of `size` bytes (to cross block boundaries). */
export function chunked(buf: Buffer, size = 1 << 16): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts);
}

export async function collect(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const b of stream) out.push(Buffer.isBuffer(b) ? b : Buffer.from(b));
  return Buffer.concat(out);
}

/** Temp dirs for one test file; `cleanup()` in afterEach removes them all. */
export class TempDirs {
  private readonly dirs: string[] = [];

  make(prefix = 'minidock-overlay-'): string {
    const d = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }

  cleanup(): void {
    for (const d of this.dirs.splice(0)) {
      try {
        rmSync(d, { recursive: true, force: true });
      } catch {
        // Without root, a 0555 directory from an archive keeps its children: open it up first.
        makeWritable(d);
        rmSync(d, { recursive: true, force: true });
      }
    }
  }
}

function makeWritable(dir: string): void {
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (lstatSync(p).isDirectory()) makeWritable(p);
  }
}

export interface TreeOptions {
  mtimes?: boolean;
  owners?: boolean;
}

/**
 * One line per entry below `root`, sorted: `path type mode [uid:gid] detail [mtime]`, detail
 * being a content hash, a link target or a device number. Hard links show as `=inode-group`.
 */
export function describeTree(root: string, opts: TreeOptions = {}): string[] {
  const lines: string[] = [];
  const inodes = new Map<number, string>();
  const visit = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const path = rel ? `${rel}/${name}` : name;
      const st = lstatSync(abs);
      let type = '?';
      let detail = '';
      if (st.isDirectory()) type = 'dir';
      else if (st.isSymbolicLink()) [type, detail] = ['symlink', readlinkSync(abs)];
      else if (st.isFile()) [type, detail] = ['file', createHash('sha256').update(readFileSync(abs)).digest('hex').slice(0, 12)];
      else if (st.isCharacterDevice()) [type, detail] = ['char', String(st.rdev)];
      else if (st.isBlockDevice()) [type, detail] = ['block', String(st.rdev)];
      else if (st.isFIFO()) type = 'fifo';
      if (!st.isDirectory() && st.nlink > 1 && !(st.isCharacterDevice() && st.rdev === 0)) {
        const first = inodes.get(st.ino);
        if (first) detail += ` =${first}`;
        else inodes.set(st.ino, path);
      }
      const parts = [path, type, (st.mode & 0o7777).toString(8)];
      if (opts.owners) parts.push(`${st.uid}:${st.gid}`);
      if (detail) parts.push(detail);
      if (opts.mtimes && !st.isSymbolicLink()) parts.push(String(Math.floor(st.mtimeMs / 1000)));
      lines.push(parts.join(' '));
      if (st.isDirectory()) visit(abs, path);
    }
  };
  visit(root, '');
  return lines;
}

export const isRoot = process.geteuid?.() === 0;
