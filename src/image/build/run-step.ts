// RUN: a real container on the current step's layers (runtime/ephemeral.ts), whose overlay
// upper dir becomes the step's layer. The container is always removed (with its cgroups and
// mounts) before this returns or throws, except on success, where the caller first diffs the
// upper dir and then calls remove().
// Heredoc scripts with a shebang (`RUN <<EOF` + `#!/usr/bin/env python3`) must exist as files
// while the step runs. BuildKit mounts them read-only at /dev/pipes/<name>; here /dev is a
// fresh tmpfs the runtime fills, so they live in a temporary read-only lower layer at
// /.minidock/pipes/<name> instead (not part of the image: it is not in the upper dir).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../../engine.js';
import { MinidockError } from '../../errors.js';
import { runEphemeral } from '../../runtime/ephemeral.js';
import type { RunFile } from '../dockerfile/index.js';
import { chainsOf, type ImageState } from './step-image.js';

export const RUN_FILES_DIR = '/.minidock/pipes';
const PIPES = '/dev/pipes/';

export interface RunStepOptions {
  state: ImageState;
  argv: readonly string[];
  files: readonly RunFile[];
  env: string[];
  user: string;
  workdir: string;
  network: 'none' | 'host';
  cgroupParent?: string;
  onOutput: (data: Buffer, stream: 1 | 2) => void;
  signal?: AbortSignal;
}

export interface FinishedRun {
  upperDir: string;
  /** The step changed the filesystem (its upper dir is not empty). */
  changed: boolean;
  remove(): Promise<void>;
}

/** docker build's message for a failed RUN. */
export function runFailed(argv: readonly string[], code: number): MinidockError {
  return new MinidockError(`process "${argv.join(' ')}" did not complete successfully: exit code: ${code}`, {
    kind: 'invalid',
    exitCode: 1,
    context: { argv, exitCode: code },
  });
}

export async function runStep(engine: Engine, o: RunStepOptions): Promise<FinishedRun> {
  const files = o.files.length ? writeRunFiles(engine, o.files) : undefined;
  const argv = o.argv.map((a) => (a.startsWith(PIPES) && files ? `${RUN_FILES_DIR}/${a.slice(PIPES.length)}` : a));
  const dropFiles = () => files && rmSync(files.dir, { recursive: true, force: true });
  let run;
  try {
    run = await runEphemeral(engine, {
      image: o.state.config,
      imageId: o.state.id ?? '',
      layers: [...chainsOf(o.state), ...(files ? [files.chainId] : [])],
      argv,
      env: o.env,
      user: o.user,
      workdir: o.workdir,
      network: o.network,
      cgroupParent: o.cgroupParent,
    });
  } catch (err) {
    dropFiles();
    throw err;
  }
  // Removal happens once, whoever asks first (an abort, a failure, the caller).
  let removing: Promise<void> | undefined;
  const remove = () =>
    (removing ??= (async () => {
      try {
        await run.remove();
      } finally {
        dropFiles();
      }
    })());
  const canceled = () => new MinidockError('the build was canceled', { kind: 'conflict', exitCode: 1 });
  // Ctrl-C: the forced removal kills the step's processes; `done` then settles.
  const onAbort = () => void remove().catch(() => {});
  o.signal?.addEventListener('abort', onAbort, { once: true });
  run.stdout.on('data', (d: Buffer) => o.onOutput(d, 1));
  run.stderr.on('data', (d: Buffer) => o.onOutput(d, 2));
  let code: number;
  try {
    code = await run.done;
  } catch (err) {
    await remove();
    // Finalising a container that the abort already removed fails: the cancel is the news.
    throw o.signal?.aborted ? canceled() : err;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  if (o.signal?.aborted) {
    await remove();
    throw canceled();
  }
  if (code !== 0) {
    await remove();
    // The message names the command as written, /dev/pipes path included, as BuildKit's does.
    throw runFailed(o.argv, code);
  }
  return { upperDir: run.upperDir, changed: readdirSync(run.upperDir).length > 0, remove };
}

/** A temporary snapshot directory holding the heredoc scripts; never committed. */
function writeRunFiles(engine: Engine, files: readonly RunFile[]): { dir: string; chainId: string } {
  const hex = randomBytes(32).toString('hex');
  const chainId = `sha256:${hex}`;
  const dir = engine.paths.snapshot(chainId);
  const pipes = join(dir, 'fs', RUN_FILES_DIR);
  mkdirSync(pipes, { recursive: true, mode: 0o755 });
  for (const f of files) {
    const p = join(pipes, f.path.slice(PIPES.length));
    writeFileSync(p, f.content);
    chmodSync(p, f.mode);
  }
  return { dir, chainId };
}
