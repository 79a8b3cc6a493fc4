// One stream to two consumers (an import hashes a tarball into a blob while it unpacks it):
// flow is paced by the slower consumer, and an error on any side stops both.
import { PassThrough, type Readable } from 'node:stream';

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
    if (!a.readableEnded && !a.writableFinished) b.destroy(new Error('stream closed early'));
  });
  b.on('close', () => {
    if (!b.readableEnded && !b.writableFinished) a.destroy(new Error('stream closed early'));
  });
  return [a, b];
}
