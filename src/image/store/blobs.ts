// Content-addressed blobs: `blobs/sha256/<hex>`, named by the sha256 of their bytes and
// never modified. New blobs are written under `ingest/` first and moved into place when
// the image that needs them is committed (under the store lock), so a concurrent `rmi`
// never garbage-collects half of an import. Every read verifies the digest.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MinidockError, errnoCode } from '../../errors.js';
import type { Paths } from '../../paths.js';
import { isOwnerAlive, processStartTime } from '../../state/lock.js';

export function corrupted(digest: string, actual: string): MinidockError {
  return new MinidockError(`blob ${digest} is corrupted: its content hashes to ${actual}`, {
    kind: 'corrupt',
    hint: 'the store was modified outside minidock; remove the image (rmi -f) and import, load or pull it again',
    context: { digest, actual },
  });
}

function missing(digest: string): MinidockError {
  return new MinidockError(`blob ${digest} is missing from the store`, {
    kind: 'corrupt',
    hint: 'the store was modified outside minidock; remove the image (rmi -f) and import, load or pull it again',
  });
}

export class BlobStore {
  constructor(private readonly paths: Paths) {}

  has(digest: string): boolean {
    return existsSync(this.paths.blob(digest));
  }

  size(digest: string): number {
    return statSync(this.paths.blob(digest)).size;
  }

  /** The whole blob, verified. For manifests and configs (small). */
  async read(digest: string): Promise<Buffer> {
    let data: Buffer;
    try {
      data = await readFile(this.paths.blob(digest));
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw missing(digest);
      throw err;
    }
    const actual = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    if (actual !== digest) throw corrupted(digest, actual);
    return data;
  }

  async readJson(digest: string): Promise<unknown> {
    const data = await this.read(digest);
    try {
      return JSON.parse(data.toString('utf8'));
    } catch (err) {
      throw new MinidockError(`blob ${digest} is not valid JSON: ${(err as Error).message}`, { kind: 'corrupt', cause: err });
    }
  }

  /**
   * A stream of the blob that fails at its end if the bytes do not match the digest. The last
   * chunk is held back until the digest is checked, so a consumer never receives the whole of
   * a corrupt blob (a tar entry written from it stays short, an archive stays unreadable).
   */
  open(digest: string): Readable {
    if (!this.has(digest)) throw missing(digest);
    const hash = createHash('sha256');
    let held: Buffer | undefined;
    const verify = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        const out = held;
        held = chunk;
        cb(null, out);
      },
      flush(cb) {
        const actual = `sha256:${hash.digest('hex')}`;
        if (actual !== digest) return cb(corrupted(digest, actual));
        cb(null, held);
      },
    });
    const src = createReadStream(this.paths.blob(digest), { highWaterMark: 1 << 20 });
    src.on('error', (e) => verify.destroy(e));
    return src.pipe(verify);
  }

  /** Verify a blob end to end without keeping it. */
  async verify(digest: string): Promise<void> {
    await pipeline(this.open(digest), async (source: AsyncIterable<Buffer>) => {
      for await (const _ of source) {
        /* drain */
      }
    });
  }

  newIngest(): Ingest {
    return new Ingest(this.paths);
  }

  /** Ingest directories left by processes that died before committing. */
  removeStaleIngests(): void {
    let names: string[];
    try {
      names = readdirSync(this.paths.ingestDir);
    } catch {
      return;
    }
    for (const name of names) {
      const [pid, start] = name.split('-');
      if (!isOwnerAlive(`${pid} ${start}`)) rmSync(join(this.paths.ingestDir, name), { recursive: true, force: true });
    }
  }
}

export interface Written {
  digest: string;
  size: number;
}

/** Copy a stream into `file`, hashing it on the way: its sha256 digest and size. */
export async function writeHashed(source: Readable, file: string, opts: { mode?: number; highWaterMark?: number } = {}): Promise<Written> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    source,
    new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    }),
    createWriteStream(file, opts),
  );
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

/**
 * Blobs being written by one operation. Nothing here is visible to readers or to GC until
 * `commit()` moves the files into blobs/ (call it with the store lock held).
 */
export class Ingest {
  readonly dir: string;
  private readonly written = new Map<string, string>(); // digest -> temp file

  constructor(private readonly paths: Paths) {
    this.dir = join(paths.ingestDir, `${process.pid}-${processStartTime(process.pid)}-${randomBytes(6).toString('hex')}`);
    mkdirSync(this.dir, { recursive: true });
  }

  private tempFile(): string {
    return join(this.dir, randomBytes(8).toString('hex'));
  }

  async writeBuffer(data: Buffer | string, expected?: string): Promise<Written> {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    const digest = `sha256:${createHash('sha256').update(buf).digest('hex')}`;
    if (expected && expected !== digest) throw corrupted(expected, digest);
    const file = this.tempFile();
    await writeFile(file, buf);
    this.written.set(digest, file);
    return { digest, size: buf.length };
  }

  /** Write a stream, hashing it on the way; verified against `expected` when given. */
  async writeStream(source: Readable, expected?: string): Promise<Written> {
    const file = this.tempFile();
    const { digest, size } = await writeHashed(source, file, { highWaterMark: 1 << 20 });
    if (expected && expected !== digest) {
      rmSync(file, { force: true });
      throw corrupted(expected, digest);
    }
    this.written.set(digest, file);
    return { digest, size };
  }

  /**
   * Write what `produce` hands its synchronous sink (diffUpperTo), hashing on the way; each
   * chunk is written before the sink returns, so the producer may reuse its buffer. No
   * stream machinery: for a 300 MB layer this is most of the difference to `tar -c`.
   */
  async writeWith(produce: (sink: (chunk: Buffer) => void) => Promise<void>): Promise<Written> {
    const file = this.tempFile();
    // Hashed inline. (On a worker thread the hash would overlap the tar, but Node 20 cannot
    // start a worker from a V8 startup snapshot: "undefined is not an integer typed array"
    // in the worker's process.cwd.)
    const hash = createHash('sha256');
    let size = 0;
    const fd = openSync(file, 'w');
    try {
      await produce((chunk) => {
        hash.update(chunk);
        for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
        size += chunk.length;
      });
    } finally {
      closeSync(fd);
    }
    const digest = `sha256:${hash.digest('hex')}`;
    this.written.set(digest, file);
    return { digest, size };
  }

  /** Move every written blob into blobs/ (same content under the same name: a rename is safe). */
  commit(): void {
    mkdirSync(this.paths.blobsDir, { recursive: true });
    for (const [digest, file] of this.written) renameSync(file, this.paths.blob(digest));
    this.written.clear();
    this.abort();
  }

  /** Forget everything written: the temp files go, nothing reached blobs/. */
  abort(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  has(digest: string): boolean {
    return this.written.has(digest);
  }

  /** Path of a blob written here but not yet committed (to unpack it before commit). */
  pathOf(digest: string): string | undefined {
    return this.written.get(digest);
  }
}
