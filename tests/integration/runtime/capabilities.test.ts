// Privileges as /proc/self/status shows them inside the container: docker's default
// capability set, --cap-drop/--cap-add, --privileged, a non-root user, no-new-privileges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupRoot, expectExit, explain, isRoot, newRoot, ownStatusField, type TestRoot } from './helpers.js';

/** The Cap* and NoNewPrivs lines of /proc/self/status inside a container run with `flags`. */
async function status(root: TestRoot, flags: string[]): Promise<{ fields: Record<string, string>; text: string }> {
  const r = await expectExit(root, ['run', '--rm', ...flags, 'busybox', 'sh', '-c', 'grep -E "^(Cap|NoNewPrivs|Uid|Gid)" /proc/self/status'], 0);
  const fields: Record<string, string> = {};
  for (const line of String(r.stdout).split('\n')) {
    const m = /^(\w+):\s*(.*)$/.exec(line);
    if (m) fields[m[1]] = m[2].trim();
  }
  return { fields, text: explain(r) };
}

const CAP_NET_ADMIN = 1n << 12n;
const DEFAULT = '00000000a80425fb';

describe.skipIf(!isRoot).concurrent('capabilities and privileges', () => {
  let root: TestRoot;
  beforeAll(async () => {
    root = await newRoot('rt-caps');
  });
  afterAll(async () => {
    await cleanupRoot(root);
  });

  it(`the default CapEff is docker's ${DEFAULT}, and no_new_privs is off`, async () => {
    const { fields, text } = await status(root, []);
    expect(fields.CapEff, text).toBe(DEFAULT);
    expect(fields.CapPrm, text).toBe(DEFAULT);
    expect(fields.CapBnd, text).toBe(DEFAULT);
    expect(fields.CapInh, text).toBe('0000000000000000');
    expect(fields.NoNewPrivs, text).toBe('0');
  });

  it('--cap-drop ALL leaves nothing', async () => {
    const { fields, text } = await status(root, ['--cap-drop', 'ALL']);
    expect(fields.CapEff, text).toBe('0000000000000000');
    expect(fields.CapBnd, text).toBe('0000000000000000');
    // ...and root without CAP_CHOWN cannot chown a file it does not own
    const r = await expectExit(root, ['run', '--rm', '--cap-drop', 'ALL', 'busybox', 'sh', '-c', 'touch /f && chown 1000 /f 2>&1; echo "rc=$?"'], 0);
    expect(String(r.stdout), explain(r)).toMatch(/Operation not permitted[\s\S]*rc=1/);
  });

  it('--cap-add NET_ADMIN adds exactly that bit (and lets root change a link)', async () => {
    const { fields, text } = await status(root, ['--cap-add', 'NET_ADMIN']);
    expect(fields.CapEff, text).toBe((BigInt(`0x${DEFAULT}`) | CAP_NET_ADMIN).toString(16).padStart(16, '0'));
    const r = await expectExit(root, ['run', '--rm', '--cap-add', 'NET_ADMIN', 'busybox', 'ip', 'link', 'set', 'lo', 'mtu', '1500'], 0);
    expect(r.exitCode, explain(r)).toBe(0);
    const denied = await root.run(['run', '--rm', 'busybox', 'ip', 'link', 'set', 'lo', 'mtu', '1500']);
    expect(denied.exitCode, `without NET_ADMIN\n${explain(denied)}`).not.toBe(0);
  });

  it('--cap-drop of one default capability clears that bit', async () => {
    const { fields, text } = await status(root, ['--cap-drop', 'NET_RAW', '--cap-drop', 'chown']);
    const expected = BigInt(`0x${DEFAULT}`) & ~(1n << 13n) & ~(1n << 0n);
    expect(fields.CapEff, text).toBe(expected.toString(16).padStart(16, '0'));
  });

  it('--privileged gives every capability the host has', async () => {
    const { fields, text } = await status(root, ['--privileged']);
    // The engine cannot give more than it holds: compare with our own bounding set.
    const host = ownStatusField('CapBnd');
    expect(fields.CapEff, `${text}\nhost CapBnd ${host}`).toBe(host);
    expect(BigInt(`0x${fields.CapEff}`) & BigInt(`0x${DEFAULT}`), text).toBe(BigInt(`0x${DEFAULT}`));
    // SYS_ADMIN (bit 21) among them: a privileged container may mount
    expect(BigInt(`0x${fields.CapEff}`) & (1n << 21n), text).not.toBe(0n);
  });

  it('a non-root user (-u app) has no effective capabilities', async () => {
    const { fields, text } = await status(root, ['-u', 'app']);
    expect(fields.CapEff, text).toBe('0000000000000000');
    expect(fields.CapPrm, text).toBe('0000000000000000');
    expect(fields.Uid?.split(/\s+/), text).toEqual(['1000', '1000', '1000', '1000']);
    expect(fields.Gid?.split(/\s+/)[0], text).toBe('1000');
    const id = await expectExit(root, ['run', '--rm', '-u', 'app', 'busybox', 'id'], 0);
    expect(String(id.stdout), explain(id)).toMatch(/^uid=1000\(app\) gid=\d+\(\w+\) groups=.*50\(staff\)/);
  });

  it('--security-opt no-new-privileges sets NoNewPrivs: 1', async () => {
    const { fields, text } = await status(root, ['--security-opt', 'no-new-privileges']);
    expect(fields.NoNewPrivs, text).toBe('1');
    expect(fields.CapEff, text).toBe(DEFAULT);
  });
});
