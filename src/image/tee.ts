// One stream to two consumers (an import hashes a tarball into a blob while it unpacks it):
// flow is paced by the slower consumer, and an error on any side stops both.
import { PassThrough, type Readable } from 'node:stream';

/** The error the other side of a tee gets when one consumer gives up: a consequence, not a cause. */
export class StreamClosedEarly extends Error {
  constructor() {
    super('stream closed early');
    this.name = 'StreamClosedEarly';
  }
}

/**
 * The error to report when both consumers of a tee failed: the one that is not merely the
 * other side giving up (an unpacker's "invalid tar header", not the hasher's "closed early").
 */
export function rootCause(...reasons: unknown[]): unknown {
  const consequence = (r: unknown): boolean => r instanceof StreamClosedEarly || (r instanceof Error && r.cause !== undefined && consequence(r.cause));
  return reasons.find((r) => r !== undefined && !consequence(r)) ?? reasons.find((r) => r !== undefined);
}

export function tee(source: Readable): [Readable, Readable] {
  const a = new PassThrough({ highWaterMark: 1 << 20 });
  const b = new PassThrough({ highWaterMark: 1 << 20 });
  source.pipe(a);
  source.pipe(b);
  const fail = (e: Error) => {
    a.destroy(e);
    b.destroy(e);
    source.destroy(e);
  };
  source.on('error', fail);
  // A consumer that gives up (destroys its side) must not leave the other waiting forever.
  a.on('close', () => {
    if (!a.readableEnded && !a.writableFinished) b.destroy(new StreamClosedEarly());
  });
  b.on('close', () => {
    if (!b.readableEnded && !b.writableFinished) a.destroy(new StreamClosedEarly());
  });
  return [a, b];
}
