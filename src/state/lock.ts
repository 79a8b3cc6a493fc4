// A lock file shared by every minidock process on one root: concurrent commands serialise
// their changes to the store and to container names. Node has no flock(2), so the lock is a
// file created with O_EXCL that names its owner (pid and start time). A lock whose owner is
// dead (killed with SIGKILL, say) is broken — under a second, short-lived "breaker" lock so
// that two processes never both break it and then steal a live lock from a third.
import { linkSync, readFileSync, unlinkSync, writeFileSync, statSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MinidockError, errnoCode } from '../errors.js';

const BREAKER_STALE_MS = 5_000;

let selfId: string | undefined;
function ownerId(): string {
  selfId ??= `${process.pid} ${processStartTime(process.pid)}`;
  return selfId;
}

/**
 * Field 22 of /proc/PID/stat: start time in clock ticks since boot; tells a reused PID apart.
 * Undefined for a process that is gone — or a zombie, which is dead but not yet reaped.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return fields[19];
  } catch {
    return undefined;
  }
}

export function isOwnerAlive(owner: string): boolean {
  const [pid, start] = owner.trim().split(' ');
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0) return false;
  return processStartTime(n) === start;
}

/**
 * Create `file` with `content` only if it does not exist. The content is written to a
 * private temp file first and hard-linked into place, so nobody ever sees the lock file
 * empty (an empty owner would look dead and be broken: two holders).
 */
function tryCreate(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    writeFileSync(tmp, content, { mode: 0o644 });
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') {
      mkdirSync(dirname(file), { recursive: true });
      return tryCreate(file, content);
    }
    throw err;
  }
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkQuiet(tmp);
  }
}

function readOwner(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

function unlinkQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
}

/** Remove `file` if it is still owned by the dead `owner`. */
function breakStale(file: string, owner: string): void {
  const breaker = `${file}.break`;
  if (!tryCreate(breaker, ownerId())) {
    // A breaker that died inside this tiny critical section leaves its file behind.
    try {
      if (Date.now() - statSync(breaker).mtimeMs > BREAKER_STALE_MS) unlinkQuiet(breaker);
    } catch {
      /* gone meanwhile */
    }
    return;
  }
  try {
    // Only breakers (serialised here) remove a dead owner's file, so if it still names the
    // dead owner now, it cannot change before the unlink.
    if (readOwner(file) === owner) unlinkQuiet(file);
  } finally {
    unlinkQuiet(breaker);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LockOptions {
  timeoutMs?: number;
  /** What is being locked, for the timeout message. */
  what?: string;
}

/** Contenders inside one process queue here: the lock file names the process, not the caller. */
const localQueues = new Map<string, Promise<void>>();

export async function acquireLock(file: string, opts: LockOptions = {}): Promise<() => void> {
  const previous = localQueues.get(file) ?? Promise.resolve();
  let releaseLocal!: () => void;
  const mine = new Promise<void>((r) => (releaseLocal = r));
  const tail = previous.then(() => mine);
  localQueues.set(file, tail);
  await previous;
  try {
    const releaseFile = await acquireFileLock(file, opts);
    return () => {
      releaseFile();
      if (localQueues.get(file) === tail) localQueues.delete(file);
      releaseLocal();
    };
  } catch (err) {
    if (localQueues.get(file) === tail) localQueues.delete(file);
    releaseLocal();
    throw err;
  }
}

async function acquireFileLock(file: string, opts: LockOptions): Promise<() => void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  const me = ownerId();
  for (let attempt = 0; ; attempt++) {
    if (tryCreate(file, me)) {
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (readOwner(file) === me) unlinkQuiet(file);
      };
    }
    const owner = readOwner(file);
    if (owner !== undefined && !isOwnerAlive(owner)) {
      breakStale(file, owner);
      continue;
    }
    if (Date.now() > deadline) {
      throw new MinidockError(`timed out waiting for the ${opts.what ?? 'store'} lock held by process ${owner?.split(' ')[0]}`, {
        kind: 'conflict',
        hint: `another minidock command is still running; lock file: ${file}`,
      });
    }
    await sleep(Math.min(2 + attempt * 2, 50));
  }
}

export async function withLock<T>(file: string, fn: () => Promise<T> | T, opts: LockOptions = {}): Promise<T> {
  const release = await acquireLock(file, opts);
  try {
    return await fn();
  } finally {
    release();
  }
}
