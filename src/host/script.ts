// DryRunHost and RecordingHost: the same calls as RealHost, kept as shell lines instead of
// being executed. DryRunHost's lines form the runnable script that `--dry-run` prints;
// RecordingHost lets unit tests assert the exact argv and file writes.
import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import type { Host, RunOptions, RunResult, SpawnRequest } from './host.js';
import { quote, renderArgv } from './shell.js';

export type HostCall =
  | { op: 'run'; argv: string[]; input?: string; cwd?: string; why?: string }
  | { op: 'spawn'; argv: string[]; why?: string; /** fds beyond 0-2 the engine would read (sent to stderr in the script) */ extraFds?: number[] }
  | { op: 'writeFile'; path: string; data: string; why?: string }
  | { op: 'mkdir'; path: string; why?: string }
  | { op: 'rmdir'; path: string; why?: string; ifEmpty?: boolean }
  | { op: 'symlink'; target: string; path: string; why?: string }
  | { op: 'remove'; path: string; why?: string }
  | { op: 'kill'; pid: number; signal: string; why?: string }
  | { op: 'comment'; text: string };

/** One call as a line (or heredoc) of shell. */
export function renderCall(c: HostCall): string {
  switch (c.op) {
    case 'run': {
      let line = renderArgv(c.argv);
      if (c.cwd) line = `(cd ${quote(c.cwd)} && ${line})`;
      if (c.input !== undefined) line += ` <<'MINIDOCK_EOF'\n${c.input.replace(/\n$/, '')}\nMINIDOCK_EOF`;
      return line;
    }
    case 'spawn':
      return renderArgv(c.argv) + (c.extraFds ?? []).map((fd) => ` ${fd}>&2`).join('');
    case 'writeFile':
      if (c.data === '') return `: > ${quote(c.path)}`;
      if (c.data.includes('\n') || c.data.length > 60) {
        return `cat > ${quote(c.path)} <<'MINIDOCK_EOF'\n${c.data.replace(/\n$/, '')}\nMINIDOCK_EOF`;
      }
      return `echo ${quote(c.data)} > ${quote(c.path)}`;
    case 'symlink':
      return `ln -s ${quote(c.target)} ${quote(c.path)}`;
    case 'remove':
      return `rm -rf ${quote(c.path)}`;
    case 'mkdir':
      return `mkdir -p ${quote(c.path)}`;
    case 'rmdir':
      return `rmdir ${quote(c.path)}${c.ifEmpty ? ' 2>/dev/null || :' : ''}`;
    case 'kill':
      return `kill -s ${c.signal} ${c.pid}`;
    case 'comment':
      return `# ${c.text}`;
  }
}

export class RecordingHost implements Host {
  readonly mode: 'dry-run' | 'recording' = 'recording';
  readonly calls: HostCall[] = [];
  /** Canned results for run(), matched by argv[0]; default: success with empty output. */
  readonly results = new Map<string, Partial<RunResult>>();

  async run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    this.calls.push({
      op: 'run',
      argv: [...argv],
      input: opts.input === undefined ? undefined : String(opts.input),
      cwd: opts.cwd,
      why: opts.why,
    });
    return { code: 0, signal: null, stdout: '', stderr: '', ...this.results.get(argv[0]) };
  }

  spawn(req: SpawnRequest): ChildProcess {
    const stdio = Array.isArray(req.options?.stdio) ? req.options.stdio : [];
    const extraFds = stdio.map((s, i) => (i > 2 && s === 'pipe' ? i : -1)).filter((i) => i > 2);
    this.calls.push({ op: 'spawn', argv: [...req.argv], why: req.why, extraFds: extraFds.length ? extraFds : undefined });
    // A process that has already exited successfully: enough for callers that wait on it.
    const fake = new EventEmitter() as ChildProcess;
    queueMicrotask(() => fake.emit('exit', 0, null));
    return fake;
  }

  async writeFile(path: string, data: string, why?: string): Promise<void> {
    this.calls.push({ op: 'writeFile', path, data, why });
  }

  async mkdir(path: string, why?: string): Promise<void> {
    this.calls.push({ op: 'mkdir', path, why });
  }

  async rmdir(path: string, why?: string, opts: { ifEmpty?: boolean } = {}): Promise<void> {
    this.calls.push({ op: 'rmdir', path, why, ifEmpty: opts.ifEmpty });
  }

  async symlink(target: string, path: string, why?: string): Promise<void> {
    this.calls.push({ op: 'symlink', target, path, why });
  }

  async remove(path: string, why?: string): Promise<void> {
    this.calls.push({ op: 'remove', path, why });
  }

  kill(pid: number, signal: NodeJS.Signals | number, why?: string): void {
    this.calls.push({ op: 'kill', pid, signal: String(signal), why });
  }

  comment(text: string): void {
    this.calls.push({ op: 'comment', text });
  }

  /** The calls as a shell script, each step preceded by its reason. */
  script(): string {
    const lines: string[] = [];
    for (const c of this.calls) {
      if (c.op !== 'comment' && c.why) lines.push(`# ${c.why}`);
      lines.push(renderCall(c));
    }
    return lines.join('\n') + '\n';
  }
}

export class DryRunHost extends RecordingHost {
  override readonly mode = 'dry-run' as const;
}
