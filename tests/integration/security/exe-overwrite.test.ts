// Attack 6, CVE-2019-5736 (runc /proc/self/exe overwrite): during an `exec`, a host helper
// (minidock-shim, forked into the container's pid namespace) lives briefly in it. The
// attacker (probe watch, running as the container's init) watches /proc for new pids, opens
// /proc/PID/exe of each and keeps the fd; it also replaces /evil and /bin/sh with
// `#!/proc/self/exe` scripts, so an exec of them makes the shim re-execute *itself* with the
// container's credentials, where the attacker can open it. Once every helper has exited it
// reopens the kept fds for writing through /proc/self/fd/N. Expected: nothing is writable
// (the helpers run from read-only bind mounts: EROFS), no helper's checksum changes.
//
// Safety: the container runs one copy of the shim, the execs another (`victim`), so the shim
// the attacker can reach is test-owned and idle when the writes are tried; the attacker
// writes only to an fd whose dev:ino is the victim's, and for any other host file (nsenter)
// it only opens it for writing. The second case adds CAP_SYS_PTRACE, which takes the
// ptrace-access check of /proc/PID/exe out of the way, so that the read-only mount is what
// is tested. (CAP_SYS_PTRACE is still no safe thing to grant: it could ptrace the shim while
// it holds every capability, as it could runc's init.)
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecurityRoot, isRoot, lines } from './helpers.js';

const EXECS = 50; // per case: 100 in the file
const PARALLEL = 3;
const COMMANDS = [['/bin/true'], ['/evil'], ['sh', '-c', 'true']];

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe.skipIf(!isRoot)('CVE-2019-5736: overwriting host helpers through /proc/PID/exe (attack 6)', () => {
  let t: SecurityRoot;
  let victim = '';
  let victimSum = '';
  let hostDir = '';
  beforeAll(async () => {
    t = new SecurityRoot('exe');
    await t.image('probe');
    victim = join(t.scratch, 'victim', 'minidock-shim');
    mkdirSync(join(t.scratch, 'victim'));
    copyFileSync(t.shimCopy, victim);
    victimSum = sha(victim);
    hostDir = t.canary('exec-cwd');
  });
  afterAll(async () => {
    if (t) expect(await t.finish()).toEqual([]);
  });

  async function attack(label: string, extra: string[]): Promise<string> {
    const ctl = join(t.scratch, `ctl-${label}`);
    mkdirSync(ctl);
    const st = statSync(victim);
    const id = String(
      (await t.ok([
        'run', '-d', '-v', `${ctl}:/ctl`, ...extra, 'probe',
        '/probe', 'watch', '/ctl/stop', '--victim', `${st.dev}:${st.ino}`, '--canary-name', 'keep', '--canary-path', join(hostDir, 'keep'), '--plant',
      ])).stdout,
    ).trim();
    for (let i = 0; i < 100 && !String((await t.run(['logs', id])).stdout).includes('ready'); i++) await new Promise((r) => setTimeout(r, 20));
    // The execs run the victim copy of the shim, from a host directory (a cwd leak would show the canary).
    let next = 0;
    const worker = async () => {
      while (next < EXECS) {
        const cmd = COMMANDS[next++ % COMMANDS.length];
        await t.runIn(hostDir, ['exec', id, ...cmd], { env: { MINIDOCK_SHIM: victim } });
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    writeFileSync(join(ctl, 'stop'), '');
    await t.ok(['wait', id]);
    return String((await t.ok(['logs', id])).stdout);
  }

  function check(out: string) {
    const summary = lines(out, 'summary')[0];
    expect(summary, out).toBeDefined();
    const n = Object.fromEntries([...summary.matchAll(/([a-z-]+) (\d+)/g)].map((m) => [m[1], Number(m[2])]));
    // the attack saw the helpers come and go (each exec makes at least one pid; some live
    // too briefly to be seen)…
    expect(n.pids, summary).toBeGreaterThanOrEqual(EXECS / 2);
    // …and got nothing: no write, no open for writing, no host cwd or root through /proc
    expect(n.writable, out).toBe(0);
    expect(n.leaks, out).toBe(0);
    expect(out).not.toMatch(/direct-open-w ok|WRITTEN|OPENED-FOR-WRITE|^leak /m);
    expect(sha(victim)).toBe(victimSum);
    return n;
  }

  const reopened = (out: string, what: RegExp) => lines(out, 'reopen').filter((l) => what.test(l));

  it('a default container gets no writable fd on any helper', async () => {
    const out = await attack('default', []);
    check(out);
    // The `#!/proc/self/exe` variant hands the attacker the shim itself: it must be read-only.
    const shim = reopened(out, / victim 1 /);
    expect(shim.length, out).toBeGreaterThan(0);
    for (const l of shim) expect(l).toMatch(/result EROFS$/);
  });

  it('with CAP_SYS_PTRACE (past the ptrace check) the only host program in reach is the read-only shim', async () => {
    const out = await attack('ptrace', ['--cap-add', 'SYS_PTRACE']);
    check(out);
    // nsenter stays in the host's pid namespace (the shim forks into the container's), so
    // every host file the attacker can grab is the shim, from its read-only bind mount
    const shim = reopened(out, / victim 1 /);
    expect(shim.length, out).toBeGreaterThan(0);
    expect(reopened(out, / victim 0 /), out).toEqual([]);
    for (const l of shim) expect(l).toMatch(/result EROFS$/);
  });
});
