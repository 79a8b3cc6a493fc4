// `minidock exec [-d] [-i] [-t] [-e K=V] [-w DIR] [-u USER] CONTAINER COMMAND [ARG...]`
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseCgroupPlan } from '../../cgroups/index.js';
import { EXIT_ENGINE, MinidockError, conflict } from '../../errors.js';
import { planExec } from '../../runtime/exec.js';
import { liveState } from '../../runtime/lifecycle/status.js';
import { containerPaths, layeredView, resolveContainerUser } from '../../runtime/prepare.js';
import { ContainerStore } from '../../runtime/store.js';
import { tools } from '../../runtime/tools.js';
import { collect, type CommandModule } from '../context.js';
import { terminalSignalsReachShim } from './run.js';
import { parseEnvFlag, parseKeyValueFile } from '../parse/env.js';

const command: CommandModule = {
  engineExitCode: EXIT_ENGINE,
  define(cmd: Command) {
    cmd
      .description('Execute a command in a running container')
      .usage('[OPTIONS] CONTAINER COMMAND [ARG...]')
      .argument('<container>')
      .argument('<command...>')
      .passThroughOptions()
      .option('-d, --detach', 'Detached mode: run command in the background')
      .option('-e, --env <list>', 'Set environment variables', collect, [])
      .option('--env-file <list>', 'Read in a file of environment variables', collect, [])
      .option('-i, --interactive', 'Keep STDIN open even if not attached')
      .option('--privileged', 'Give extended privileges to the command')
      .option('-t, --tty', 'Allocate a pseudo-TTY')
      .option('-u, --user <string>', 'Username or UID (format: "<name|uid>[:<group|gid>]")')
      .option('-w, --workdir <string>', 'Working directory inside the container');
  },
  async action(ctx, [ref, ...cmdArgs], opts) {
    const engine = ctx.engine();
    const store = new ContainerStore(engine);
    const { container: c, state: recorded } = store.get(ref);
    const state = liveState(recorded, containerPaths(engine, c.Id).exitFile);
    if (state.Status === 'paused') throw conflict(`Container ${c.Id} is paused, unpause the container before exec`);
    if (state.Status !== 'running') throw conflict(`container ${c.Id} is not running`);
    const lookup = (k: string) => process.env[k];
    const env: string[] = [];
    for (const f of opts.envFile as string[]) env.push(...parseKeyValueFile(readFileSync(f), f, lookup));
    for (const e of opts.env as string[]) env.push(parseEnvFlag(e, lookup));
    const user = resolveContainerUser(layeredView(engine, c), opts.user ?? c.Config.User, c.HostConfig.GroupAdd);
    const procs = state.Cgroup ? parseCgroupPlan(state.Cgroup).procs : [];
    const t = tools();
    const chain = planExec(t, c, state.Pid, procs, { cmd: cmdArgs, env, workdir: opts.workdir, user, privileged: opts.privileged });
    const monitor = [t.shim, 'monitor'];
    if (opts.tty) monitor.push('--tty');
    if (opts.interactive) monitor.push('--stdin');
    monitor.push(...(opts.detach ? ['--detach'] : ['--attach', '--status-fd', '3']), '--', ...chain);
    const child = engine.host.spawn({
      argv: monitor,
      why: `exec in container ${c.Id.slice(0, 12)}`,
      options: opts.detach ? { stdio: ['ignore', 'pipe', 'inherit'] } : { stdio: [opts.interactive ? 'inherit' : 'ignore', 'inherit', 'inherit', 'pipe'] },
    });
    const statusStream = (opts.detach ? child.stdout : child.stdio[3]) as NodeJS.ReadableStream;
    let status = '';
    statusStream.setEncoding('utf8');
    statusStream.on('data', (d: string) => (status += d));
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as NodeJS.Signals[]) {
      process.on(s, () => {
        // A terminal's Ctrl-C reaches the shim too (same process group), which forwards it.
        if ((s === 'SIGINT' || s === 'SIGQUIT') && terminalSignalsReachShim()) return;
        try {
          if (child.pid) process.kill(child.pid, s);
        } catch {
          /* the shim is gone: the command has ended */
        }
      });
    }
    const code = await new Promise<number>((resolve) => child.on('exit', (c2, sig) => resolve(c2 ?? (sig ? 128 + 15 : 1))));
    const line = status.trim().split('\n').filter(Boolean)[0];
    if (line) {
      const parsed = JSON.parse(line) as { error?: string; exitCode?: number };
      if (parsed.error) throw new MinidockError(parsed.error, { kind: 'invalid', exitCode: parsed.exitCode ?? 126 });
    }
    return opts.detach ? 0 : code;
  },
};
export default command;
