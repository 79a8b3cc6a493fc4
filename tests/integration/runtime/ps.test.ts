// `ps` as docker prints it: the columns, running-only by default, -a/-q/-l/-n/--no-trunc,
// the filters (status, name, label, ancestor, exited, id), --format templates and json,
// and the STATUS strings (Up…, Exited (N) … ago, Created, (Paused)).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxTarball } from '../../helpers/cli.js';
import { cleanupRoot, expectExit, explain, isRoot, newRoot, out, type TestRoot } from './helpers.js';

/** Table rows split on docker's column gaps (two spaces or more). */
function table(text: string): string[][] {
  return text.trimEnd().split('\n').map((l) => l.split(/ {2,}/));
}

describe.skipIf(!isRoot).concurrent('ps', () => {
  // One root with a known set of containers, made in this order (ps lists newest first):
  //   fresh (created), done0 (exited 0), done3 (exited 3), web (running, label tier=web),
  //   other (running, another image), frozen (paused)
  let root: TestRoot;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    root = await newRoot('rt-ps');
    await root.ok(['import', '--change', 'ENV OTHER=1', '--change', 'CMD ["sh"]', busyboxTarball(), 'other-image:2']);
    ids.fresh = await out(root, ['create', '--name', 'fresh', 'busybox', 'echo', 'hello world']);
    await expectExit(root, ['run', '--name', 'done0', 'busybox', 'true'], 0);
    await expectExit(root, ['run', '--name', 'done3', 'busybox', 'sh', '-c', 'exit 3'], 3);
    ids.web = await out(root, ['run', '-d', '--name', 'web', '-l', 'tier=web', '-l', 'team=a', 'busybox', 'sleep', '300']);
    ids.other = await out(root, ['run', '-d', '--name', 'other', 'other-image:2', 'sleep', '301']);
    ids.frozen = await out(root, ['run', '-d', '--name', 'frozen', 'busybox', 'sleep', '302']);
    await expectExit(root, ['pause', 'frozen'], 0);
    for (const n of ['done0', 'done3']) ids[n] = await out(root, ['inspect', '-f', '{{.Id}}', n]);
  });
  afterAll(async () => {
    await cleanupRoot(root);
  });

  const names = async (args: string[]) => (await out(root, ['ps', ...args, '--format', '{{.Names}}'])).split('\n').filter(Boolean);

  it('lists running (and paused) containers by default, with docker\'s columns', async () => {
    const r = await expectExit(root, ['ps'], 0);
    const rows = table(String(r.stdout));
    expect(rows[0], explain(r)).toEqual(['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES']);
    const byName = Object.fromEntries(rows.slice(1).map((row) => [row.at(-1), row]));
    expect(Object.keys(byName).sort(), explain(r)).toEqual(['frozen', 'other', 'web']);
    const web = byName.web;
    expect(web[0], explain(r)).toBe(ids.web.slice(0, 12));
    expect(web[1], explain(r)).toBe('busybox');
    expect(web[2], explain(r)).toBe('"sleep 300"');
    expect(web[3], explain(r)).toMatch(/ago$/);
    expect(web[4], explain(r)).toMatch(/^Up (Less than a second|\d+ seconds?|About a minute)$/);
    expect(byName.other[1], explain(r)).toBe('other-image:2');
    expect(byName.frozen[4], explain(r)).toMatch(/^Up .* \(Paused\)$/);
  });

  it('-a lists all, newest first, with the STATUS strings of each state', async () => {
    const r = await expectExit(root, ['ps', '-a', '--format', '{{.Names}}|{{.Status}}|{{.State}}'], 0);
    const rows = String(r.stdout).trim().split('\n').map((l) => l.split('|'));
    expect(rows.map((x) => x[0]), explain(r)).toEqual(['frozen', 'other', 'web', 'done3', 'done0', 'fresh']);
    const st = Object.fromEntries(rows.map((x) => [x[0], x.slice(1)]));
    expect(st.fresh, explain(r)).toEqual(['Created', 'created']);
    expect(st.done0[0], explain(r)).toMatch(/^Exited \(0\) (Less than a second|\d+ seconds?|About a minute) ago$/);
    expect(st.done3[0], explain(r)).toMatch(/^Exited \(3\) .* ago$/);
    expect(st.done3[1], explain(r)).toBe('exited');
    expect(st.web[1], explain(r)).toBe('running');
    expect(st.frozen[1], explain(r)).toBe('paused');
  });

  it('-q prints IDs only (12 hex, or 64 with --no-trunc); -l the latest; -n N the last N', async () => {
    const q = (await out(root, ['ps', '-q'])).split('\n');
    expect(q.sort(), 'ps -q').toEqual([ids.web, ids.other, ids.frozen].map((i) => i.slice(0, 12)).sort());
    const full = (await out(root, ['ps', '-aq', '--no-trunc'])).split('\n');
    expect(full.length, 'ps -aq --no-trunc').toBe(6);
    for (const id of full) expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(await names(['-l']), 'ps -l').toEqual(['frozen']);
    expect(await names(['-n', '2']), 'ps -n 2').toEqual(['frozen', 'other']);
    expect(await names(['-n', '5']), 'ps -n 5 includes stopped ones').toEqual(['frozen', 'other', 'web', 'done3', 'done0']);
    const lq = await out(root, ['ps', '-lq']);
    expect(lq, 'ps -lq').toBe(ids.frozen.slice(0, 12));
  });

  it('filters: status, name, label, ancestor, exited, id', async () => {
    const cases: [string[], string[]][] = [
      [['--filter', 'status=exited'], ['done3', 'done0']],
      [['-a', '--filter', 'status=created'], ['fresh']],
      [['--filter', 'status=paused'], ['frozen']],
      [['-a', '--filter', 'status=running'], ['other', 'web']],
      [['-a', '--filter', 'name=done'], ['done3', 'done0']],
      [['-a', '--filter', 'name=^web$'], ['web']],
      [['-a', '--filter', 'label=tier=web'], ['web']],
      [['-a', '--filter', 'label=team'], ['web']],
      [['-a', '--filter', 'label=tier=db'], []],
      [['-a', '--filter', 'ancestor=other-image:2'], ['other']],
      [['-a', '--filter', 'ancestor=busybox'], ['frozen', 'web', 'done3', 'done0', 'fresh']],
      [['-a', '--filter', 'exited=3'], ['done3']],
      [['--filter', 'exited=0'], ['done0']], // exited= implies -a
      [['-a', '--filter', `id=${ids.web.slice(0, 8)}`], ['web']],
      [['-a', '--filter', 'status=exited', '--filter', 'exited=0'], ['done0']], // different keys: AND
      [['-a', '--filter', 'name=web', '--filter', 'name=other'], ['other', 'web']], // same key: OR
    ];
    const results = await Promise.all(cases.map(([args]) => names(args)));
    cases.forEach(([args, want], i) => expect(results[i], `ps ${args.join(' ')}`).toEqual(want));
    const bad = await root.run(['ps', '--filter', 'status=sleeping']);
    expect(bad.exitCode, explain(bad)).not.toBe(0);
    expect(String(bad.stderr), explain(bad)).toMatch(/invalid filter 'status=sleeping'|Invalid filter/i);
  });

  it('--format: Go templates, table templates and json', async () => {
    const t = await expectExit(root, ['ps', '-a', '--filter', 'name=web', '--format', '{{.Names}}\t{{.Status}}'], 0);
    expect(String(t.stdout), explain(t)).toMatch(/^web\tUp .+\n$/);
    const tab = await expectExit(root, ['ps', '--filter', 'name=web', '--format', 'table {{.Names}}\t{{.Image}}'], 0);
    expect(table(String(tab.stdout)), explain(tab)).toEqual([['NAMES', 'IMAGE'], ['web', 'busybox']]);
    const j = await expectExit(root, ['ps', '-a', '--filter', 'name=done3', '--format', 'json'], 0);
    const lines = String(j.stdout).trim().split('\n');
    expect(lines.length, explain(j)).toBe(1);
    const obj = JSON.parse(lines[0]);
    expect(obj, explain(j)).toMatchObject({ Names: 'done3', State: 'exited', Image: 'busybox', ID: ids.done3.slice(0, 12), Command: '"sh -c \'exit 3\'"' });
    expect(obj.Status, explain(j)).toMatch(/^Exited \(3\) /);
    expect(obj.CreatedAt, explain(j)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \w+$/);
    const labels = await out(root, ['ps', '--filter', 'name=web', '--format', '{{.Labels}}|{{.Label "tier"}}']);
    expect(labels.split('|')[0].split(',').sort(), labels).toEqual(['team=a', 'tier=web']);
    expect(labels.split('|')[1], labels).toBe('web');
  });
});
