// USER resolution from the image's own /etc/passwd and /etc/group (never the host's), with
// runc's rules (libcontainer/user): `name`, `uid`, `name:group`, `uid:gid`; a numeric uid
// that is not in passwd is still valid (gid 0, home /); supplementary groups are the groups
// that list the user as a member.
import { MinidockError } from '../errors.js';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export interface ExecUser {
  uid: number;
  gid: number;
  groups: number[];
  home: string;
}

export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 4) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    out.push({ name: f[0], uid, gid, home: f[5] ?? '' });
  }
  return out;
}

export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 3) continue;
    const gid = Number(f[2]);
    if (!Number.isInteger(gid)) continue;
    out.push({ name: f[0], gid, members: (f[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean) });
  }
  return out;
}

const isNumeric = (s: string) => /^[0-9]+$/.test(s);

function userError(msg: string): MinidockError {
  return new MinidockError(msg, { kind: 'invalid', exitCode: 125 });
}

/**
 * `spec` is what `-u`/USER says; `passwd`/`group` are the files' text, undefined when the
 * image has none. `groupAdd` are `--group-add` values (names or ids).
 */
export function resolveUser(spec: string, passwd: string | undefined, group: string | undefined, groupAdd: string[] = []): ExecUser {
  const users = passwd === undefined ? [] : parsePasswd(passwd);
  const groups = group === undefined ? [] : parseGroup(group);
  const [userPart, groupPart] = spec.includes(':') ? [spec.slice(0, spec.indexOf(':')), spec.slice(spec.indexOf(':') + 1)] : [spec, undefined];

  let entry: PasswdEntry | undefined;
  let uid: number;
  let gid = 0;
  let home = '/';
  if (userPart === '') {
    entry = users.find((u) => u.uid === 0);
    uid = 0;
  } else if (isNumeric(userPart)) {
    uid = Number(userPart);
    entry = users.find((u) => u.uid === uid);
  } else {
    if (passwd === undefined) throw userError(`unable to find user ${userPart}: no matching entries in passwd file`);
    entry = users.find((u) => u.name === userPart);
    if (!entry) throw userError(`unable to find user ${userPart}: no matching entries in passwd file`);
    uid = entry.uid;
  }
  if (entry) {
    gid = entry.gid;
    home = entry.home || '/';
  }
  if (groupPart !== undefined && groupPart !== '') {
    if (isNumeric(groupPart)) gid = Number(groupPart);
    else {
      const g = groups.find((x) => x.name === groupPart);
      if (!g) throw userError(`unable to find group ${groupPart}: no matching entries in group file`);
      gid = g.gid;
    }
  }
  const supplementary: number[] = [];
  if (entry && groupPart === undefined) {
    for (const g of groups) if (g.members.includes(entry.name) && g.gid !== gid) supplementary.push(g.gid);
  }
  for (const add of groupAdd) {
    if (isNumeric(add)) supplementary.push(Number(add));
    else {
      const g = groups.find((x) => x.name === add);
      if (!g) throw userError(`unable to find group ${add}: no matching entries in group file`);
      supplementary.push(g.gid);
    }
  }
  return { uid, gid, groups: [...new Set(supplementary)], home };
}
