// The C shim (shim/shim.c) driven directly, without namespaces except where a test says so:
// `monitor` with plain `/bin/sh -c` chains (--no-sync) or with `enter` at the end of the chain
// (the real start protocol), and `enter` chrooted into a temp dir holding a static busybox.
// Needs root (chroot, setuid, unshare(CLONE_NEWPID)). Every test kills what it started, by
// pid (the processes it spawned, the pids the shim reported, and their descendants), and
// removes its temp dir, in afterEach.
import { spawn, execFileSync, type StdioOptions } from 'node:child_process';
import {
  chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync,
  readdirSync, rmSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shimSource = join(repo, 'shim', 'shim.c');
const busybox = '/bin/busybox';
let shim = join(repo, 'dist', 'minidock-shim');
let buildDir: string | undefined;

// ---------------------------------------------------------------------------------------
// process bookkeeping and cleanup
// ---------------------------------------------------------------------------------------

const tracked = new Set<number>();

function track(pid: number | undefined): void {
  if (pid !== undefined && pid > 0) tracked.add(pid);
}

/** /proc/PID/stat fields after "(comm)": [state, ppid, pgrp, session, ...], or undefined. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may hold spaces and parentheses, so cut at the last ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields ? Number(fields[1]) : undefined;
}

function descendantsOf(roots: Iterable<number>): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const ppid = parentOf(pid);
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const seen = new Set<number>();
  const queue = [...roots];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return [...seen];
}

function isAlive(pid: number): boolean {
  const fields = statFields(pid);
  return fields !== undefined && fields[0] !== 'Z';
}

function killTracked(): void {
  for (const pid of descendantsOf(tracked)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  tracked.clear();
}

// ---------------------------------------------------------------------------------------
// running the shim
// ---------------------------------------------------------------------------------------

interface Result {
  argv: string[];
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** what arrived on fd 3 (a socketpair from node) when `sync` was requested */
  fd3: string;
}

interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** open fd 3 as a pipe and collect what is written to it */
  sync?: boolean;
  /** extra descriptors: index in the child -> fd in this process */
  extraFds?: Record<number, number>;
  timeoutMs?: number;
  /** called with the child once spawned (signal tests) */
  onSpawn?: (child: ReturnType<typeof spawn>, output: { stdout: string[] }) => void;
}

function explain(r: Result): string {
  return `command: ${JSON.stringify(r.argv)}\nexit: ${r.code} signal: ${r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}\nfd3: ${r.fd3}`;
}

function run(argv: string[], opts: RunOptions = {}): Promise<Result> {
  const stdio: StdioOptions = [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'];
  if (opts.sync) stdio[3] = 'pipe';
  for (const [index, fd] of Object.entries(opts.extraFds ?? {})) {
    for (let i = stdio.length; i < Number(index); i++) stdio[i] = 'ignore';
    stdio[Number(index)] = fd;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio, env: opts.env ?? { PATH: process.env.PATH } });
    track(child.pid);
    const out: string[] = [];
    const err: string[] = [];
    const fd3: string[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d.toString('utf8')));
    child.stderr!.on('data', (d: Buffer) => err.push(d.toString('utf8')));
    if (opts.sync) (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => fd3.push(d.toString('utf8')));
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: ${JSON.stringify(argv)}\nstdout: ${out.join('')}\nstderr: ${err.join('')}`));
    }, opts.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ argv, pid: child.pid ?? -1, code, signal, stdout: out.join(''), stderr: err.join(''), fd3: fd3.join('') });
    });
    opts.onSpawn?.(child, { stdout: out });
  });
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface StartLine {
  pid?: number;
  shimPid?: number;
  error?: string;
  exitCode?: number;
}

/** `monitor --detach ...`: the original's one JSON line, and the pids it names tracked. */
async function startDetached(args: string[], opts: RunOptions = {}): Promise<{ r: Result; line: StartLine }> {
  const r = await run([shim, 'monitor', '--detach', ...args], opts);
  const text = r.stdout.trim();
  expect(text.split('\n'), explain(r)).toHaveLength(1);
  const line = JSON.parse(text) as StartLine;
  track(line.shimPid);
  track(line.pid);
  return { r, line };
}

interface LogRecord {
  log: string;
  stream: string;
  time: string;
}

function readLog(path: string): LogRecord[] {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n'), text).toBe(true);
  return text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as LogRecord);
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

interface ExitFile {
  exitCode: number;
  signal: string | null;
  finishedAt: string;
  error?: string;
}

const RFC3339_9 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

// ---------------------------------------------------------------------------------------
// fixtures
// ---------------------------------------------------------------------------------------

/** A root with /bin/busybox and its applets as symlinks, for `enter --root`. */
function makeRootfs(dir: string): string {
  const root = join(dir, 'rootfs');
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync(busybox, join(root, 'bin', 'busybox'));
  chmodSync(join(root, 'bin', 'busybox'), 0o755);
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const applet of applets) if (applet !== 'busybox') symlinkSync('busybox', join(root, 'bin', applet));
  return root;
}

let dir: string;

beforeAll(() => {
  if (process.getuid?.() !== 0) throw new Error('shim integration tests need root');
  // Test the current source even when the esbuild part of the build is mid-edit elsewhere.
  const fresh = existsSync(shim) && statSync(shim).mtimeMs >= statSync(shimSource).mtimeMs;
  if (!fresh) {
    buildDir = mkdtempSync(join(tmpdir(), 'minidock-shim-build-'));
    shim = join(buildDir, 'minidock-shim');
    execFileSync('cc', ['-O2', '-static', '-Wall', '-Wextra', '-o', shim, shimSource], { stdio: 'pipe' });
  }
});

afterAll(() => {
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'minidock-shim-test-'));
});

afterEach(() => {
  killTracked();
  rmSync(dir, { recursive: true, force: true });
});

const sh = (script: string) => ['--', '/bin/sh', '-c', script];
const bb = (script: string) => ['--', busybox, 'sh', '-c', script];

// ---------------------------------------------------------------------------------------
// monitor
// ---------------------------------------------------------------------------------------

describe('monitor: json-file log', () => {
  it('keeps stdout and stderr apart, one record per line, UTC times with 9 digits', async () => {
    const log = join(dir, 'log.json');
    const r = await run([shim, 'monitor', '--no-sync', '--log', log, ...sh('echo out1; echo err1 >&2; echo out2')]);
    expect(r.code, explain(r)).toBe(0);
    const records = readLog(log);
    expect(records.filter((l) => l.stream === 'stdout').map((l) => l.log)).toEqual(['out1\n', 'out2\n']);
    expect(records.filter((l) => l.stream === 'stderr').map((l) => l.log)).toEqual(['err1\n']);
    for (const rec of records) {
      expect(rec.time).toMatch(RFC3339_9);
      expect(Math.abs(Date.parse(rec.time) - Date.now())).toBeLessThan(60_000);
      expect(Object.keys(rec)).toEqual(['log', 'stream', 'time']);
    }
  });

  it('escapes like docker: quotes, control bytes, < > &, U+2028, invalid UTF-8', async () => {
    const log = join(dir, 'log.json');
    // busybox printf: octal escapes give raw bytes; \377 is never valid UTF-8
    const script = String.raw`printf 'a\tb<c>&"\\\001\015\377|\342\200\250|é\n'`;
    const r = await run([shim, 'monitor', '--no-sync', '--log', log, ...bb(script)]);
    expect(r.code, explain(r)).toBe(0);
    const raw = readFileSync(log, 'utf8');
    expect(raw).toContain(String.raw`{"log":"a\u0009b\u003cc\u003e\u0026\"\\\u0001\r\ufffd|\u2028|é\n","stream":"stdout","time":"`);
    expect(readLog(log)[0].log).toBe('a\tb<c>&"\\\u0001\r\ufffd|\u2028|é\n');
  });

  it('splits a 40 KiB line into 16 KiB partials and flushes a partial line at EOF', async () => {
    const log = join(dir, 'log.json');
    const script = `head -c 40960 /dev/zero | tr '\\0' x; echo; printf tail`;
    const r = await run([shim, 'monitor', '--no-sync', '--log', log, ...bb(script)]);
    expect(r.code, explain(r)).toBe(0);
    const logs = readLog(log).map((l) => l.log);
    expect(logs.map((l) => l.length)).toEqual([16384, 16384, 8193, 4]);
    expect(logs.join('')).toBe('x'.repeat(40960) + '\ntail');
  });
});

describe('monitor: exit status', () => {
  it('writes the exit file for exit 3 and exits with the code in attach mode', async () => {
    const exit = join(dir, 'exit.json');
    const r = await run([shim, 'monitor', '--no-sync', '--attach', '--exit-file', exit, ...sh('exit 3')]);
    expect(r.code, explain(r)).toBe(3);
    const e = readJson<ExitFile>(exit);
    expect(e).toMatchObject({ exitCode: 3, signal: null });
    expect(e.finishedAt).toMatch(RFC3339_9);
    expect(readdirSync(dir)).toEqual(['exit.json']); // no temp file left behind
  });

  it('reports a SIGKILLed child as 137 / SIGKILL', async () => {
    const exit = join(dir, 'exit.json');
    const r = await run([shim, 'monitor', '--no-sync', '--exit-file', exit, ...sh('kill -9 $$')]);
    expect(r.code, explain(r)).toBe(137);
    expect(readJson<ExitFile>(exit)).toMatchObject({ exitCode: 137, signal: 'SIGKILL' });
  });

  it('--pid-ns: the init is pid 1 of a new pid namespace and a SIGKILL from outside is 137', async () => {
    const root = makeRootfs(dir);
    const [exit, pidFile] = [join(dir, 'exit.json'), join(dir, 'pid')];
    const { r, line } = await startDetached([
      '--pid-ns', '--exit-file', exit, '--pid-file', pidFile,
      '--', shim, 'enter', '--sync-fd', '3', '--root', root, '--', 'sleep', '1000',
    ]);
    expect(r.code, explain(r)).toBe(0);
    expect(readFileSync(pidFile, 'utf8')).toBe(String(line.pid));
    const nspid = readFileSync(`/proc/${line.pid}/status`, 'utf8').match(/^NSpid:\s+(.*)$/m)?.[1].split(/\s+/);
    expect(nspid).toEqual([String(line.pid), '1']);
    expect(parentOf(line.pid!)).toBe(line.shimPid);
    process.kill(line.pid!, 'SIGKILL');
    await waitFor('exit file', () => existsSync(exit));
    expect(readJson<ExitFile>(exit)).toMatchObject({ exitCode: 137, signal: 'SIGKILL' });
  });
});

describe('monitor: --detach', () => {
  it('prints the start line, and the monitor outlives the process that started it', async () => {
    const [log, exit, pidFile] = [join(dir, 'log.json'), join(dir, 'exit.json'), join(dir, 'pid')];
    const { r, line } = await startDetached([
      '--log', log, '--exit-file', exit, '--pid-file', pidFile,
      '--', shim, 'enter', '--sync-fd', '3', '--root', '/', '--', busybox, 'sh', '-c', 'echo started; read x; echo done',
    ], { input: '' });
    expect(r.code, explain(r)).toBe(0);
    expect(Object.keys(line)).toEqual(['pid', 'shimPid']);
    expect(readFileSync(pidFile, 'utf8')).toBe(String(line.pid));
    // without --stdin the container reads /dev/null: `read` ends at once and it exits 0
    await waitFor('exit file', () => existsSync(exit));
    expect(readJson<ExitFile>(exit)).toMatchObject({ exitCode: 0, signal: null });
    expect(readLog(log).map((l) => l.log)).toEqual(['started\n', 'done\n']);
  });

  it('keeps running after its starter exited, in its own session, ignoring SIGTERM and SIGHUP', async () => {
    const exit = join(dir, 'exit.json');
    const { r, line } = await startDetached(['--exit-file', exit, '--no-sync', '--', busybox, 'sleep', '1000']);
    expect(r.code, explain(r)).toBe(0);
    expect(isAlive(r.pid)).toBe(false);
    expect(isAlive(line.shimPid!)).toBe(true);
    expect(parentOf(line.shimPid!)).not.toBe(r.pid); // its starter is gone: reparented
    expect(Number(statFields(line.shimPid!)![3])).toBe(line.shimPid); // own session: setsid
    process.kill(line.shimPid!, 'SIGTERM');
    process.kill(line.shimPid!, 'SIGHUP');
    process.kill(line.shimPid!, 'SIGINT');
    await new Promise((res) => setTimeout(res, 200));
    expect(isAlive(line.shimPid!)).toBe(true);
    expect(isAlive(line.pid!)).toBe(true);
    process.kill(line.pid!, 'SIGTERM'); // the engine stops a container by signalling its init
    await waitFor('exit file', () => existsSync(exit));
    expect(readJson<ExitFile>(exit)).toMatchObject({ exitCode: 143, signal: 'SIGTERM' });
    await waitFor('monitor exit', () => !isAlive(line.shimPid!));
  });

  it('measures a few hundred KiB of RSS for an idle detached monitor', async () => {
    const { line } = await startDetached(['--log', join(dir, 'log'), '--no-sync', '--', busybox, 'sleep', '1000']);
    await new Promise((res) => setTimeout(res, 100));
    const rssKiB = Number(readFileSync(`/proc/${line.shimPid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m)?.[1]);
    console.log(`idle detached monitor: VmRSS ${rssKiB} KiB`);
    expect(rssKiB).toBeGreaterThan(0);
    expect(rssKiB).toBeLessThan(2048);
  });
});

describe('monitor: stdin', () => {
  it('attach --stdin: the child reads our stdin directly', async () => {
    const r = await run([shim, 'monitor', '--no-sync', '--attach', '--stdin', ...sh('read x; echo "got $x"; cat')], {
      input: 'hello\nrest\n',
    });
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toBe('got hello\nrest\n');
  });

  it('without --stdin the child reads /dev/null', async () => {
    const r = await run([shim, 'monitor', '--no-sync', '--attach', ...sh('cat; echo "eof $?"')], { input: 'ignored\n' });
    expect(r.stdout, explain(r)).toBe('eof 0\n');
  });

  it('detach --stdin: the child gets a pipe held open, so `sh` keeps waiting (run -di)', async () => {
    const exit = join(dir, 'exit.json');
    const { line } = await startDetached(['--stdin', '--exit-file', exit, '--no-sync', ...bb('read x; echo "read ended"')]);
    await new Promise((res) => setTimeout(res, 300));
    expect(isAlive(line.pid!)).toBe(true);
    expect(existsSync(exit)).toBe(false);
    const fd0 = execFileSync('readlink', [`/proc/${line.pid}/fd/0`], { encoding: 'utf8' });
    expect(fd0).toMatch(/^pipe:/);
    process.kill(line.pid!, 'SIGKILL');
    await waitFor('exit file', () => existsSync(exit));
  });
});

describe('monitor: --tty', () => {
  it('gives the child a pty with the requested size, logged as stdout', async () => {
    const log = join(dir, 'log.json');
    const r = await run([
      shim, 'monitor', '--no-sync', '--tty', '--tty-size', '30x100', '--attach', '--log', log,
      ...bb('tty; test -t 0 && test -t 1 && test -t 2 && echo all-tty; stty size; echo oops >&2'),
    ]);
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toMatch(/^\/dev\/pts\/\d+\r\nall-tty\r\n30 100\r\noops\r\n$/);
    const records = readLog(log);
    expect(records.every((l) => l.stream === 'stdout')).toBe(true);
    expect(records.map((l) => l.log).join('')).toBe(r.stdout);
  });

  it('relays our stdin to the pty in attach mode', async () => {
    const r = await run([shim, 'monitor', '--no-sync', '--tty', '--stdin', '--attach', ...bb('read x; echo "got $x"')], {
      input: 'hello\n',
    });
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toContain('got hello\r\n'); // after the tty's echo of "hello"
  });
});

describe('monitor: --tty on a terminal', () => {
  it('puts our terminal in raw mode, copies its size, follows SIGWINCH, restores it on exit', async () => {
    // util-linux `script` gives the shim a real terminal as stdin
    const [before, after, inner] = [join(dir, 'before'), join(dir, 'after'), join(dir, 'inner')];
    const container = [
      `stty size > ${inner}`,
      `stty -a -F "$OUTER" | grep -o -- -icanon >> ${inner}`, // the user's terminal, seen while we run
      `stty -F "$OUTER" rows 50 cols 90; kill -WINCH $PPID; sleep 0.2; stty size >> ${inner}`,
    ].join('; ');
    const outer = [
      'stty rows 40 cols 120',
      `stty -g > ${before}`,
      'export OUTER=$(tty)',
      `${shim} monitor --no-sync --tty --stdin --attach -- /bin/sh -c '${container}'`,
      'echo "shim exit $?"',
      `stty -g > ${after}`,
    ].join('\n');
    writeFileSync(join(dir, 'outer.sh'), outer);
    const r = await run(['script', '-qec', `sh ${join(dir, 'outer.sh')}`, '/dev/null'], { input: '\n' });
    expect(r.stdout, explain(r)).toContain('shim exit 0');
    expect(readFileSync(inner, 'utf8')).toBe('40 120\n-icanon\n50 90\n');
    expect(readFileSync(after, 'utf8')).toBe(readFileSync(before, 'utf8'));
  });
});

describe('monitor: attach and signals', () => {
  it('--attach copies stdout and stderr to our own stdout and stderr', async () => {
    const r = await run([shim, 'monitor', '--no-sync', '--attach', ...sh('echo to-out; echo to-err >&2')]);
    expect(r.stdout, explain(r)).toBe('to-out\n');
    expect(r.stderr, explain(r)).toBe('to-err\n');
  });

  it('without --attach nothing is printed', async () => {
    const r = await run([shim, 'monitor', '--no-sync', ...sh('echo to-out; echo to-err >&2')]);
    expect(r.stdout + r.stderr, explain(r)).toBe('');
  });

  it('forwards SIGTERM received by an attached shim to the container', async () => {
    const script = 'trap "echo got-term; exit 0" TERM; echo ready; while :; do sleep 0.05; done';
    let sent = false;
    const r = await run([shim, 'monitor', '--no-sync', '--attach', ...bb(script)], {
      onSpawn: (child, out) => {
        const timer = setInterval(() => {
          if (!sent && out.stdout.join('').includes('ready')) {
            sent = true;
            child.kill('SIGTERM');
            clearInterval(timer);
          }
        }, 20);
        child.on('close', () => clearInterval(timer));
      },
    });
    expect(sent).toBe(true);
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toBe('ready\ngot-term\n');
  });

  it('runs the exit command after the exit file exists, with a minimal environment', async () => {
    const [exit, hookOut] = [join(dir, 'exit.json'), join(dir, 'hook.out')];
    const hook = `cat ${exit} > ${hookOut}; env >> ${hookOut}`;
    const r = await run(
      [shim, 'monitor', '--no-sync', '--exit-file', exit, '--exit-command', '/bin/sh', '--exit-arg', '-c', '--exit-arg', hook, ...sh('exit 5')],
      { env: { PATH: process.env.PATH, SECRET: 'leak' } },
    );
    expect(r.code, explain(r)).toBe(0); // the hook replaced the shim
    const out = readFileSync(hookOut, 'utf8');
    expect(out).toContain('"exitCode":5');
    expect(out).toContain('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    expect(out).not.toContain('SECRET');
  });

  it('passes only fds 0-2 (and 3, the sync socket) to the chain', async () => {
    const extra = openSync(dir, 'r');
    try {
      const r = await run([shim, 'monitor', '--no-sync', '--attach', ...bb('ls /proc/$$/fd; :')], { extraFds: { 5: extra } });
      expect(r.stdout.split(/\s+/).filter(Boolean), explain(r)).toEqual(['0', '1', '2']);
      // With the start sync the chain also gets fd 3, the socket. (This chain never reaches
      // `enter`, so the start fails with 125; only what it saw matters here.)
      // No pipeline and no per-command redirect: while ash sets either up it holds an fd of
      // its own (a pipe end, or a saved stdout at fd 10), which `ls` would see.
      const listing = join(dir, 'fds');
      const t = await run([shim, 'monitor', '--attach', ...bb(`exec > ${listing}; ls -l /proc/$$/fd; :`)], {
        extraFds: { 5: extra },
      });
      expect(t.code, explain(t)).toBe(125);
      const seen = (readFileSync(listing, 'utf8').match(/\d+ -> .*/g) ?? []).join('\n');
      expect(seen.trim().split('\n').map((l) => l.split(' -> ')[0]), seen).toEqual(['0', '1', '2', '3']);
      expect(seen).toMatch(/^3 -> socket:/m);
    } finally {
      closeSync(extra);
    }
  });
});

describe('monitor: start sync with enter', () => {
  it('reports exec failures of enter as the start error, with docker exit codes', async () => {
    const root = makeRootfs(dir);
    const exit = join(dir, 'exit.json');
    const { r, line } = await startDetached(['--exit-file', exit, '--', shim, 'enter', '--sync-fd', '3', '--root', root, '--', 'nosuch']);
    expect(r.code, explain(r)).toBe(127);
    expect(line).toEqual({ error: 'exec: "nosuch": executable file not found in $PATH', exitCode: 127 });
    await waitFor('exit file', () => existsSync(exit));
    expect(readJson<ExitFile>(exit)).toMatchObject({ exitCode: 127, error: line.error });

    const dirExec = await startDetached(['--', shim, 'enter', '--sync-fd', '3', '--root', root, '--', '/bin']);
    expect(dirExec.r.code, explain(dirExec.r)).toBe(126);
    expect(dirExec.line).toEqual({ error: 'exec: "/bin": is a directory', exitCode: 126 });

    // the command name reaches the start line intact, however it is spelled
    const odd = 'no"such\\<x>\u2028é';
    const oddExec = await startDetached(['--', shim, 'enter', '--sync-fd', '3', '--root', root, '--', odd]);
    expect(oddExec.line, explain(oddExec.r)).toEqual({ error: `exec: "${odd}": executable file not found in $PATH`, exitCode: 127 });
  });

  it('reports its own setup failures as a 125 start line', async () => {
    const { r, line } = await startDetached(['--log', join(dir, 'missing', 'log.json'), '--no-sync', ...sh('true')]);
    expect(r.code, explain(r)).toBe(125);
    expect(line.error).toMatch(/^opening log file .*missing\/log\.json: No such file or directory$/);
  });

  it('reports a chain that dies before enter as 125 with its stderr, and logs none of it', async () => {
    const [log, exit] = [join(dir, 'log.json'), join(dir, 'exit.json')];
    const { r, line } = await startDetached(['--log', log, '--exit-file', exit, ...sh('echo noise; echo "mount: /x: special device overlay does not exist." >&2; exit 32')]);
    expect(r.code, explain(r)).toBe(125);
    expect(line).toEqual({ error: 'mount: /x: special device overlay does not exist.', exitCode: 125 });
    await waitFor('exit file', () => existsSync(exit));
    expect(readFileSync(log, 'utf8')).toBe('');
  });

  it('attach mode: the start line goes to --status-fd and the shim exits with the start code', async () => {
    const root = makeRootfs(dir);
    const status = join(dir, 'status');
    const fd = openSync(status, 'w');
    try {
      const r = await run([shim, 'monitor', '--attach', '--status-fd', '5', '--', shim, 'enter', '--sync-fd', '3', '--root', root, '--', '/nosuch'], {
        extraFds: { 5: fd },
      });
      expect(r.code, explain(r)).toBe(127);
      expect(r.stderr).toBe(''); // the engine prints the error from the start line, once
      expect(JSON.parse(readFileSync(status, 'utf8'))).toEqual({
        error: 'exec: "/nosuch": stat /nosuch: no such file or directory',
        exitCode: 127,
      });
      const ok = openSync(join(dir, 'status-ok'), 'w');
      const s = await run([shim, 'monitor', '--attach', '--status-fd', '5', '--', shim, 'enter', '--sync-fd', '3', '--root', root, '--', 'sh', '-c', 'echo $$'], {
        extraFds: { 5: ok },
      });
      closeSync(ok);
      expect(s.code, explain(s)).toBe(0);
      const started = JSON.parse(readFileSync(join(dir, 'status-ok'), 'utf8')) as StartLine;
      expect(started.pid).toBe(Number(s.stdout.trim())); // the pid of the command itself
      expect(started.shimPid).toBe(s.pid); // attached: the monitor is the process we spawned
    } finally {
      closeSync(fd);
    }
  });

  it('logs container output that races the start report, and finds the init of an unshare --fork chain', async () => {
    const root = makeRootfs(dir);
    const [log, exit, pidFile] = [join(dir, 'log.json'), join(dir, 'exit.json'), join(dir, 'pid')];
    const { line } = await startDetached([
      '--log', log, '--exit-file', exit, '--pid-file', pidFile,
      '--', 'unshare', '--pid', '--fork', '--kill-child', '--', shim, 'enter', '--sync-fd', '3', '--root', root,
      // pid 1 of a namespace gets a signal from outside only if it handles it: trap TERM
      '--', 'sh', '-c', 'trap "exit 7" TERM; echo "pid $$"; while :; do sleep 0.05; done',
    ]);
    expect(readFileSync(pidFile, 'utf8')).toBe(String(line.pid));
    expect(parentOf(line.pid!)).not.toBe(line.shimPid); // unshare sits between them
    await waitFor('log line', () => existsSync(log) && readFileSync(log, 'utf8').includes('pid 1'));
    process.kill(line.pid!, 'SIGTERM');
    await waitFor('exit file', () => existsSync(exit));
    expect(readJson<ExitFile>(exit)).toMatchObject({ exitCode: 7, signal: null });
    expect(readLog(log).map((l) => l.log)).toEqual(['pid 1\n']);
  });
});

describe('monitor: exec into a running container (nsenter --pid forks)', () => {
  it('starts the command in the container pid namespace and reports its host pid and exit code', async () => {
    const root = makeRootfs(dir);
    const { line: c } = await startDetached(['--pid-ns', '--', shim, 'enter', '--sync-fd', '3', '--root', root, '--', 'sleep', '1000']);
    const status = join(dir, 'status');
    const fd = openSync(status, 'w');
    try {
      const r = await run([
        shim, 'monitor', '--attach', '--status-fd', '5',
        '--', 'nsenter', '--target', String(c.pid), '--pid',
        '--', shim, 'enter', '--sync-fd', '3', '--root', `/proc/${c.pid}/root`, '--', 'sh', '-c', 'echo "ns pid $$"; exit 4',
      ], { extraFds: { 5: fd } });
      expect(r.code, explain(r)).toBe(4);
      expect(r.stdout).toMatch(/^ns pid [2-9]\d*\n$/); // not 1: the container's init is
      const started = JSON.parse(readFileSync(status, 'utf8')) as StartLine;
      expect(started.shimPid).toBe(r.pid);
      expect(started.pid).not.toBe(c.pid);
      expect(started.pid).toBeGreaterThan(0);
    } finally {
      closeSync(fd);
    }
  });
});

// ---------------------------------------------------------------------------------------
// enter
// ---------------------------------------------------------------------------------------

describe('enter', () => {
  const enter = (root: string, ...args: string[]) => [shim, 'enter', '--root', root, ...args];

  it('creates a missing --wd and starts there', async () => {
    const root = makeRootfs(dir);
    const r = await run(enter(root, '--wd', '/work/deep/dir', '--', 'pwd'));
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toBe('/work/deep/dir\n');
    expect(statSync(join(root, 'work/deep/dir')).isDirectory()).toBe(true);
  });

  it('switches to --user and --groups', async () => {
    const root = makeRootfs(dir);
    const r = await run(enter(root, '--user', '1000:1001', '--groups', '1001,2000', '--', 'sh', '-c', 'id -u; id -g; id -G'));
    expect(r.stderr, explain(r)).toBe('');
    const [uid, gid, groups] = r.stdout.split('\n');
    expect([uid, gid, groups]).toEqual(['1000', '1001', '1001 2000']);
    const rootUser = await run(enter(root, '--user', '0:0', '--groups', '', '--', 'id', '-G'));
    expect(rootUser.stdout, explain(rootUser)).toBe('0\n');
  });

  it('gives the command exactly the --env environment, never the shim\'s own', async () => {
    const root = makeRootfs(dir);
    const r = await run(enter(root, '--env', 'PATH=/bin', '--env', 'A=1', '--env', 'B=x y', '--env', 'A=2', '--', 'env'), {
      env: { PATH: process.env.PATH, LD_PRELOAD: '/nonexistent/evil.so', HOST_ONLY: 'yes' },
    });
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['PATH=/bin', 'A=2', 'B=x y']);
    const none = await run(enter(root, '--', 'env'));
    expect(none.stdout, explain(none)).toBe('');
  });

  it('looks the command up in the container PATH, or the default one', async () => {
    const root = makeRootfs(dir);
    mkdirSync(join(root, 'custom'));
    writeFileSync(join(root, 'custom', 'hello'), '#!/bin/sh\necho found in custom\n', { mode: 0o755 });
    const r = await run(enter(root, '--env', 'PATH=/nope:/custom', '--', 'hello'));
    expect(r.stdout, explain(r)).toBe('found in custom\n');
    const d = await run(enter(root, '--', 'sh', '-c', 'echo default path'));
    expect(d.stdout, explain(d)).toBe('default path\n');
    const missing = await run(enter(root, '--env', 'PATH=/custom', '--', 'sh'));
    expect(missing.code, explain(missing)).toBe(127);
  });

  it('fails with 127 and docker\'s message, on stderr and on the sync fd', async () => {
    const root = makeRootfs(dir);
    const r = await run(enter(root, '--sync-fd', '3', '--', 'nosuch'), { sync: true });
    expect(r.code, explain(r)).toBe(127);
    expect(r.stderr).toBe('exec: "nosuch": executable file not found in $PATH\n');
    expect(r.fd3).toBe('{"error":"exec: \\"nosuch\\": executable file not found in $PATH","exitCode":127}\n');
    const p = await run(enter(root, '--sync-fd', '3', '--', '/x'), { sync: true });
    expect(p.code, explain(p)).toBe(127);
    expect(p.stderr).toBe('exec: "/x": stat /x: no such file or directory\n');
    expect(JSON.parse(p.fd3)).toEqual({ error: 'exec: "/x": stat /x: no such file or directory', exitCode: 127 });
  });

  it('fails with 126 for a directory or a file without x bits', async () => {
    const root = makeRootfs(dir);
    mkdirSync(join(root, 'etc'));
    writeFileSync(join(root, 'data.txt'), 'not a program\n', { mode: 0o644 });
    const d = await run(enter(root, '--sync-fd', '3', '--', '/etc'), { sync: true });
    expect(d.code, explain(d)).toBe(126);
    expect(d.stderr).toBe('exec: "/etc": is a directory\n');
    expect(JSON.parse(d.fd3)).toEqual({ error: 'exec: "/etc": is a directory', exitCode: 126 });
    const f = await run(enter(root, '--sync-fd', '3', '--', '/data.txt'), { sync: true });
    expect(f.code, explain(f)).toBe(126);
    expect(f.stderr).toBe('exec: "/data.txt": permission denied\n');
    expect(JSON.parse(f.fd3)).toEqual({ error: 'exec: "/data.txt": permission denied', exitCode: 126 });
  });

  it('fails with 125 naming the path when chroot or the working directory fails', async () => {
    const root = makeRootfs(dir);
    const c = await run(enter(join(dir, 'missing'), '--', 'sh'));
    expect(c.code, explain(c)).toBe(125);
    expect(c.stderr).toContain(`chroot ${join(dir, 'missing')}: no such file or directory`);
    writeFileSync(join(root, 'file'), '');
    const w = await run(enter(root, '--wd', '/file/sub', '--', 'pwd'));
    expect(w.code, explain(w)).toBe(125);
    expect(w.stderr).toContain('/file/sub');
  });

  it('refuses --wd /proc/self/fd/5 although the caller had a directory open as fd 5 (CVE-2024-21626)', async () => {
    const leaked = openSync(dir, 'r');
    try {
      // --root / so that /proc exists; the leak would make /proc/self/fd/5 a host directory
      const r = await run([shim, 'enter', '--root', '/', '--wd', '/proc/self/fd/5', '--sync-fd', '3', '--', busybox, 'pwd'], {
        sync: true,
        extraFds: { 5: leaked },
      });
      expect(r.code, explain(r)).toBe(125);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('/proc/self/fd/5');
      expect(JSON.parse(r.fd3)).toMatchObject({ exitCode: 125 });
    } finally {
      closeSync(leaked);
    }
  });

  it('lets no fd above 2 reach the command', async () => {
    const extra = openSync(dir, 'r');
    try {
      const r = await run([shim, 'enter', '--root', '/', '--sync-fd', '3', '--', busybox, 'sh', '-c', 'ls /proc/$$/fd; :'], {
        sync: true,
        extraFds: { 4: extra, 7: extra },
      });
      expect(r.code, explain(r)).toBe(0);
      expect(r.stdout.split(/\s+/).filter(Boolean)).toEqual(['0', '1', '2']);
      expect(r.fd3).toBe(''); // exec succeeded: nothing reported, the sync fd just closed
    } finally {
      closeSync(extra);
    }
  });
});
