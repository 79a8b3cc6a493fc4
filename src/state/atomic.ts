// Metadata is never edited in place: it is written to a temp file beside its target,
// flushed, and renamed over it, so a reader (or a crash) sees the old or the new file,
// never half of one.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { errnoCode } from '../errors.js';

export interface WriteOptions {
  /**
   * fsync before the rename, so the new content survives a power loss, not only a crash of
   * the process. The image catalogue is durable; a container's state (rewritten several times
   * per `run`, and reconciled with the kernel on every read) is not worth 2 ms a write.
   */
  durable?: boolean;
}

export function writeFileAtomic(path: string, data: string | Buffer, opts: WriteOptions = {}): void {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    if (typeof data === 'string') writeSync(fd, data);
    else writeSync(fd, data);
    if (opts.durable) fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

export function writeJsonAtomic(path: string, value: unknown, opts: WriteOptions = {}): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, opts);
}

/** Parsed JSON, or `undefined` when the file does not exist. */
export async function readJsonIfExists(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}
