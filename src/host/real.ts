// RealHost: does what the engine asks, logging each step with --debug as a shell line.
import { spawn as spawnChild } from 'node:child_process';
// File operations are synchronous on purpose: they are tiny (a cgroup value, an empty mount
// point), and a thread-pool round trip per call costs more than the call.
import { mkdirSync, rmSync, rmdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { MinidockError, errnoCode } from '../errors.js';
import { HOST_ENV, type Host, type RunOptions, type RunResult, type SpawnRequest } from './host.js';
import { renderArgv, quote } from './shell.js';

export type DebugLog = (line: string) => void;

export class RealHost implements Host {
  readonly mode = 'real' as const;
  constructor(private readonly debug?: DebugLog) {}

  private log(line: string, why: string | undefined, started: number): void {
    if (!this.debug) return;
    const ms = (performance.now() - started).toFixed(1);
    this.debug(`+ ${line}${why ? `   # ${why}` : ''} (${ms} ms)`);
  }

  run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const child = spawnChild(argv[0], argv.slice(1), {
        cwd: opts.cwd,
        env: opts.env ?? HOST_ENV,
        stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout!.on('data', (b: Buffer) => out.push(b));
      child.stderr!.on('data', (b: Buffer) => err.push(b));
      if (opts.input !== undefined) child.stdin!.end(opts.input);
      child.on('error', (e) => {
        this.log(renderArgv(argv), opts.why, started);
        reject(
          new MinidockError(`${opts.why ?? 'running a host command'}: cannot run ${argv[0]}: ${e.message}`, {
            kind: 'host',
            hint: errnoCode(e) === 'ENOENT' ? `install ${argv[0]} (see the README's set-up command)` : undefined,
            context: { argv },
            cause: e,
          }),
        );
      });
      child.on('close', (code, signal) => {
        this.log(renderArgv(argv), opts.why, started);
        const stdoutBuffer = Buffer.concat(out);
        const result: RunResult = {
          code: code ?? 128 + signalNumber(signal),
          signal,
          stdout: opts.binary ? '' : stdoutBuffer.toString('utf8'),
          stdoutBuffer: opts.binary ? stdoutBuffer : undefined,
          stderr: Buffer.concat(err).toString('utf8'),
        };
        if (result.code !== 0 && !opts.allowFailure) reject(commandFailed(argv, result, opts.why));
        else resolve(result);
      });
    });
  }

  spawn(req: SpawnRequest) {
    const started = performance.now();
    const child = spawnChild(req.argv[0], req.argv.slice(1), { env: HOST_ENV, ...req.options });
    this.log(`${renderArgv(req.argv)} &`, req.why, started);
    return child;
  }

  async writeFile(path: string, data: string, why?: string): Promise<void> {
    const started = performance.now();
    try {
      writeFileSync(path, data);
    } catch (e) {
      throw new MinidockError(`${why ?? 'writing a kernel file'}: cannot write ${JSON.stringify(data)} to ${path}: ${(e as Error).message}`, {
        kind: 'host',
        context: { path, data },
        cause: e,
      });
    } finally {
      this.log(data.includes('\n') ? `cat > ${quote(path)} <<'EOF' (${data.length} bytes)` : `echo ${quote(data)} > ${quote(path)}`, why, started);
    }
  }

  async mkdir(path: string, why?: string): Promise<void> {
    const started = performance.now();
    mkdirSync(path, { recursive: true });
    this.log(`mkdir -p ${quote(path)}`, why, started);
  }

  async rmdir(path: string, why?: string): Promise<void> {
    const started = performance.now();
    try {
      rmdirSync(path);
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return;
      throw new MinidockError(`${why ?? 'removing a directory'}: rmdir ${path}: ${(e as Error).message}`, { kind: 'host', cause: e });
    } finally {
      this.log(`rmdir ${quote(path)}`, why, started);
    }
  }

  async symlink(target: string, path: string, why?: string): Promise<void> {
    const started = performance.now();
    symlinkSync(target, path);
    this.log(`ln -s ${quote(target)} ${quote(path)}`, why, started);
  }

  async remove(path: string, why?: string): Promise<void> {
    const started = performance.now();
    rmSync(path, { recursive: true, force: true });
    this.log(`rm -rf ${quote(path)}`, why, started);
  }

  kill(pid: number, signal: NodeJS.Signals | number, why?: string): void {
    const started = performance.now();
    try {
      process.kill(pid, signal);
    } catch (e) {
      if (errnoCode(e) !== 'ESRCH') throw e;
    } finally {
      this.log(`kill -s ${signal} ${pid}`, why, started);
    }
  }

  comment(text: string): void {
    this.debug?.(`# ${text}`);
  }
}

export function commandFailed(argv: readonly string[], r: RunResult, why?: string): MinidockError {
  const detail = r.stderr.trim().split('\n').slice(-3).join(' / ') || r.stdout.trim().split('\n').slice(-1)[0] || '';
  const how = r.signal ? `was killed by ${r.signal}` : `exited with status ${r.code}`;
  return new MinidockError(`${why ?? 'host command failed'}: ${argv[0]} ${how}${detail ? `: ${detail}` : ''}`, {
    kind: 'host',
    context: { argv: renderArgv(argv), stderr: r.stderr },
  });
}

function signalNumber(sig: NodeJS.Signals | null): number {
  return sig ? (constants.signals[sig] ?? 0) : 0;
}
