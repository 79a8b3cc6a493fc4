// The blob store verifies every read: a blob whose bytes no longer hash to its name is
// reported as corrupted and never handed out whole.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MinidockError } from '../../../src/errors.js';
import { processStartTime } from '../../../src/state/lock.js';
import { sha256, tempStore, type TempStore } from './helpers.js';

let t: TempStore;
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

async function put(data: Buffer | string): Promise<string> {
  const ingest = t.store.blobs.newIngest();
  const w = await ingest.writeBuffer(data);
  ingest.commit();
  return w.digest;
}

function tamper(digest: string, data: Buffer | string): void {
  writeFileSync(t.store.engine.paths.blob(digest), data);
}

async function drain(r: Readable): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of r) out.push(c as Buffer);
  return Buffer.concat(out);
}

async function rejection(p: Promise<unknown>): Promise<MinidockError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MinidockError);
  return err as MinidockError;
}

describe('digest verification', () => {
  it('reads back what was written, under its sha256', async () => {
    const d = await put('{"a":1}');
    expect(d).toBe(sha256('{"a":1}'));
    expect((await t.store.blobs.read(d)).toString()).toBe('{"a":1}');
    expect(await t.store.blobs.readJson(d)).toEqual({ a: 1 });
    expect(await drain(t.store.blobs.open(d))).toEqual(Buffer.from('{"a":1}'));
  });

  it('reports a tampered blob as corrupted on read, readJson and verify', async () => {
    const d = await put('{"a":1}');
    tamper(d, '{"a":2}');
    for (const call of [() => t.store.blobs.read(d), () => t.store.blobs.readJson(d), () => t.store.blobs.verify(d)]) {
      const err = await rejection(call());
      expect(err.kind).toBe('corrupt');
      expect(err.message).toBe(`blob ${d} is corrupted: its content hashes to ${sha256('{"a":2}')}`);
    }
  });

  it('never hands out the whole of a corrupt blob when streaming it', async () => {
    // Several chunks: the stream holds its last one back until the digest is checked.
    const big = Buffer.alloc(3 << 20, 7);
    const d = await put(big);
    const bad = Buffer.from(big);
    bad[bad.length - 1] = 8;
    tamper(d, bad);
    const got: Buffer[] = [];
    const stream = t.store.blobs.open(d);
    const err = await rejection(
      (async () => {
        for await (const c of stream) got.push(c as Buffer);
      })(),
    );
    expect(err.kind).toBe('corrupt');
    expect(Buffer.concat(got).length).toBeLessThan(bad.length);
  });

  it('a truncated blob is corrupt too; a missing one says so', async () => {
    const d = await put('0123456789');
    tamper(d, '01234');
    expect((await rejection(t.store.blobs.read(d))).kind).toBe('corrupt');
    const gone = sha256('never written');
    const err = await rejection(t.store.blobs.read(gone));
    expect(err.message).toBe(`blob ${gone} is missing from the store`);
    expect(() => t.store.blobs.open(gone)).toThrow(/missing from the store/);
  });
});

describe('ingest', () => {
  it('checks an expected digest while writing, and keeps nothing on a mismatch', async () => {
    const ingest = t.store.blobs.newIngest();
    const wrong = sha256('something else');
    const e1 = await rejection(ingest.writeBuffer('data', wrong));
    expect(e1.message).toContain(`blob ${wrong} is corrupted`);
    const e2 = await rejection(ingest.writeStream(Readable.from([Buffer.from('data')]), wrong));
    expect(e2.kind).toBe('corrupt');
    expect(readdirSync(ingest.dir)).toEqual([]);
    ingest.abort();
  });

  it('is invisible until commit, and abort leaves nothing', async () => {
    const ingest = t.store.blobs.newIngest();
    const w = await ingest.writeStream(Readable.from([Buffer.from('abc'), Buffer.from('def')]));
    expect(w).toEqual({ digest: sha256('abcdef'), size: 6 });
    expect(ingest.has(w.digest)).toBe(true);
    expect(t.store.blobs.has(w.digest)).toBe(false);
    ingest.abort();
    expect(readdirSync(t.store.engine.paths.ingestDir)).toEqual([]);
    expect(t.store.blobs.has(w.digest)).toBe(false);

    const second = t.store.blobs.newIngest();
    await second.writeBuffer('abcdef');
    second.commit();
    expect(t.store.blobs.has(w.digest)).toBe(true);
    expect(readdirSync(t.store.engine.paths.ingestDir)).toEqual([]);
  });

  it('writeWith hashes and writes each chunk before the producer reuses its buffer', async () => {
    const ingest = t.store.blobs.newIngest();
    const reused = Buffer.alloc(3);
    const w = await ingest.writeWith(async (sink) => {
      for (const part of ['abc', 'def', 'g']) {
        const n = reused.write(part);
        sink(reused.subarray(0, n));
        reused.fill(0x21); // what a reusing producer does next
      }
    });
    expect(w).toEqual({ digest: sha256('abcdefg'), size: 7 });
    ingest.commit();
    expect((await t.store.blobs.read(w.digest)).toString()).toBe('abcdefg');
  });

  it('removeStaleIngests removes the dirs of dead processes only', () => {
    const { ingestDir } = t.store.engine.paths;
    const live = t.store.blobs.newIngest();
    // pid 2^22+1 is above pid_max's limit: never alive. A live pid with another start time is a reused pid.
    const dead = join(ingestDir, '4194305-12345-aaaaaaaaaaaa');
    const reused = join(ingestDir, `${process.pid}-1-bbbbbbbbbbbb`);
    for (const d of [dead, reused]) {
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'partial'), 'x');
    }
    t.store.blobs.removeStaleIngests();
    expect(readdirSync(ingestDir)).toEqual([live.dir.split('/').pop()]);
    expect(live.dir).toContain(`${process.pid}-${processStartTime(process.pid)}-`);
    live.abort();
  });
});
