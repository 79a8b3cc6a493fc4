// Turning a planned list of tar entries into a byte stream, reading file contents lazily
// with sync reads as the consumer asks for more (a Readable pulling from a generator: no
// promise per chunk, backpressure for free). Headers and file data are read straight into
// 256 KiB batches: a tree of 20 000 small files becomes ~1000 chunks instead of 40 000,
// which is what makes it fast to hash and to write (each chunk costs the consumer a round
// trip to libuv's thread pool; measured 3x slower unbatched). Not larger: a batch is
// written out while it is still in the CPU cache (in alternating runs here 256 KiB was as
// fast as 1 MiB or faster).
import { closeSync, constants as C, fstatSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { MinidockError, wrap } from '../errors.js';
import type { TarHeader } from './tar/header.js';
import { END_OF_ARCHIVE, encodeHeader, padding } from './tar/writer.js';

export interface PlannedEntry {
  header: TarHeader;
  /** Where a regular file's content is read from. */
  source?: string;
  /** The entry's path in the tree, when it is one (not for whiteouts and opaque markers). */
  path?: string;
}

const BATCH = 256 * 1024;

/** Chunks of the tar, each its own memory. `doing` names the job in errors ("archiving …/upper"). */
export function tarStream(entries: readonly PlannedEntry[], onWarning?: (message: string) => void, doing = 'writing a tar stream'): Readable {
  return new GeneratorStream(tarChunks(entries, onWarning, false), doing);
}

/**
 * The tar handed to `sink` chunk by chunk, synchronously, in ONE reused buffer: a chunk is
 * valid only until `sink` returns (hash it, writeSync it; copy what you keep). The fast
 * path for commit: no fresh memory per chunk means no page faults and no GC churn, which
 * on these VMs made the stream twice as slow (measured: 400 MB with sha256 and writeSync
 * 625-800 ms here, against 1000-2300 ms through a Readable into a WriteStream).
 */
export function writeTar(entries: readonly PlannedEntry[], sink: (chunk: Buffer) => void, onWarning?: (message: string) => void, doing = 'writing a tar stream'): void {
  try {
    for (const chunk of tarChunks(entries, onWarning, true)) sink(chunk);
  } catch (e) {
    throw wrap(doing, e, e instanceof MinidockError ? {} : { kind: 'host' });
  }
}

/** A buffer being filled with headers and file data, handed out when full. */
class Batch {
  buf = Buffer.allocUnsafe(BATCH);
  used = 0;

  /** `reuse`: the consumer is done with a chunk before the next one is asked for. */
  constructor(private readonly reuse: boolean) {}

  /** The filled part; what follows goes into a fresh buffer, or the same one when reused. */
  flush(): Buffer | undefined {
    if (this.used === 0) return undefined;
    const out = this.buf.subarray(0, this.used);
    if (!this.reuse) this.buf = Buffer.allocUnsafe(BATCH);
    this.used = 0;
    return out;
  }

  get room(): number {
    return this.buf.length - this.used;
  }
}

function* tarChunks(entries: readonly PlannedEntry[], onWarning: ((message: string) => void) | undefined, reuse: boolean): Generator<Buffer> {
  const b = new Batch(reuse);
  for (const { header, source } of entries) {
    const head = encodeHeader(header);
    if (b.room < head.length) yield b.flush()!;
    head.copy(b.buf, b.used);
    b.used += head.length;
    if (source === undefined || header.size === 0) continue;
    // O_NOFOLLOW: the walk saw a regular file; if it became a symlink since, fail, never follow.
    const fd = openSync(source, C.O_RDONLY | C.O_NOFOLLOW);
    try {
      for (let left = header.size; left > 0; ) {
        if (b.room === 0) yield b.flush()!;
        const n = Math.min(left, b.room);
        readFully(fd, b.buf, b.used, n, header.name);
        b.used += n;
        left -= n;
      }
      if (fstatSync(fd).size !== header.size) onWarning?.(`${header.name} changed while it was being archived; its first ${header.size} bytes were kept`);
    } finally {
      closeSync(fd);
    }
    const pad = padding(header.size);
    if (b.room < pad) yield b.flush()!;
    b.buf.fill(0, b.used, b.used + pad);
    b.used += pad;
  }
  const last = b.flush();
  if (last) yield last;
  yield END_OF_ARCHIVE;
}

function readFully(fd: number, buf: Buffer, off: number, n: number, name: string): void {
  for (let got = 0; got < n; ) {
    const r = readSync(fd, buf, off + got, n - got, null);
    if (r === 0) {
      throw new MinidockError(`${name} shrank while it was being archived`, {
        kind: 'conflict',
        hint: 'stop or pause whatever writes to the directory being archived',
      });
    }
    got += r;
  }
}

class GeneratorStream extends Readable {
  constructor(
    private readonly gen: Generator<Buffer>,
    private readonly doing: string,
  ) {
    super({ highWaterMark: 4 * BATCH });
  }

  override _read(): void {
    try {
      for (;;) {
        const r = this.gen.next();
        if (r.done) {
          this.push(null);
          return;
        }
        if (!this.push(r.value)) return;
      }
    } catch (e) {
      this.destroy(wrap(this.doing, e, e instanceof MinidockError ? {} : { kind: 'host' }));
    }
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    try {
      this.gen.return(undefined); // runs the generator's finally blocks: open files are closed
    } catch {
      // the generator already failed; its error is `err`
    }
    cb(err);
  }
}
