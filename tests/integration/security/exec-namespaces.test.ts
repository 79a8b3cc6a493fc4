// `exec` into a container whose init left the container's namespaces (the runc-exec family:
// CVE-2016-9962, where `runc exec` could be tampered with from inside the container while it
// joined). Without a seccomp filter a container's root may unshare(CLONE_NEWUSER), and its
// init can move itself into a user and mount namespace of its own, where it may mount
// anything: here a program over /proc/self/fd/4. `exec` used to enter the init's mount
// namespace with `nsenter --mount --root` and then run /proc/self/fd/4 (meant to be the
// shim) by path, as host root with every capability. The shim now joins the namespaces
// itself (shim.c join_container); the container's program must never run, and the command
// asked for must run with the container's capabilities only.
// Safety: if the protection failed, the planted program only writes /tmp/pwned inside the
// container's own filesystem.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecurityRoot, isRoot } from './helpers.js';

const PLANTED = '#!/bin/sh\necho "planted program ran: $(grep CapEff /realproc/self/status)" > /tmp/pwned\n';

// The init: a user and mount namespace of its own, the real /proc kept at /realproc, a fake
// /proc whose self/fd/4 is the planted program.
const ARM = [
  'mkdir -p /realproc /tmp/fakeproc/self/fd',
  'mount --rbind /proc /realproc',
  'cp /planted /tmp/fakeproc/self/fd/4',
  'mount --bind /tmp/fakeproc /proc',
  'echo armed',
  'exec sleep 60',
].join(' && ');

describe.skipIf(!isRoot)('exec into an init that moved into its own user and mount namespace', () => {
  let t: SecurityRoot;
  beforeAll(async () => {
    t = new SecurityRoot('execns');
    await t.image('planted', (root) => {
      writeFileSync(join(root, 'planted'), PLANTED);
      chmodSync(join(root, 'planted'), 0o755);
    });
  });
  afterAll(async () => {
    if (t) expect(await t.finish()).toEqual([]);
  });

  it('the planted program never runs; the exec\'d command has the container\'s capabilities', async () => {
    const id = String((await t.ok(['run', '-d', 'planted', 'unshare', '-Urm', 'sh', '-c', ARM])).stdout).trim();
    for (let i = 0; i < 100 && !String((await t.run(['logs', id])).stdout).includes('armed'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(String((await t.run(['logs', id])).stdout)).toContain('armed');
    const pid = String((await t.ok(['inspect', '-f', '{{.State.Pid}}', id])).stdout).trim();

    for (const extra of [[], ['-u', '1000'], ['-w', '/tmp']]) {
      const r = await t.run(['exec', ...extra, id, 'sh', '-c', 'grep -E "^Cap(Eff|Bnd)" /realproc/self/status; [ -e /tmp/pwned ] && cat /tmp/pwned; true']);
      const out = String(r.stdout);
      const pwned = `/proc/${pid}/root/tmp/pwned`; // read from the host
      expect(existsSync(pwned) ? readFileSync(pwned, 'utf8') : 'not run', `exec ${extra.join(' ')}`).toBe('not run');
      expect(out, `exec ${extra.join(' ')}: ${String(r.stderr)}`).not.toContain('planted program ran');
      expect(out).toMatch(extra.includes('-u') ? /^CapEff:\s+0000000000000000$/m : /^CapEff:\s+00000000a80425fb$/m);
      expect(out).toMatch(/^CapBnd:\s+00000000a80425fb$/m);
    }
  });
});
