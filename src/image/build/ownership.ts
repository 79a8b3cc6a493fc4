// COPY/ADD `--chown` and `--chmod`. Owner names are looked up in the image's own /etc/passwd and
// /etc/group (never the host's), with BuildKit's rules (solver/llbsolver/file/user_linux.go):
// a numeric user without a group gets the same number as gid, a user name its primary group,
// an explicit group wins. Unlike BuildKit, which silently maps an unknown name to 0, an unknown
// name is an error, as docker's legacy builder made it.
// --chmod is octal (0755) or, as BuildKit accepts since Dockerfile 1.14, symbolic (u+x,go-w).
import { invalid } from '../../errors.js';
import { parseGroup, parsePasswd } from '../../runtime/users.js';

export interface Owner {
  uid: number;
  gid: number;
}

const NUMERIC = /^[0-9]+$/;

/** The owner `--chown=user[:group]` names; `passwd`/`group` are the image's files (if any). */
export function resolveChown(spec: string, passwd: string | undefined, group: string | undefined): Owner {
  const colon = spec.indexOf(':');
  const userPart = colon < 0 ? spec : spec.slice(0, colon);
  const groupPart = colon < 0 ? undefined : spec.slice(colon + 1);
  let uid = 0;
  let gid = 0;
  if (NUMERIC.test(userPart)) {
    uid = Number(userPart);
    gid = uid;
  } else if (userPart !== '') {
    const u = parsePasswd(passwd ?? '').find((e) => e.name === userPart);
    if (!u) throw invalid(`unable to convert uid/gid chown string to host mapping: can't find uid for user ${userPart}: no such user: ${userPart}`, { hint: "the user must exist in the image's /etc/passwd (or give a numeric uid)" });
    uid = u.uid;
    gid = u.gid;
  }
  if (groupPart !== undefined && groupPart !== '') {
    if (NUMERIC.test(groupPart)) gid = Number(groupPart);
    else {
      const g = parseGroup(group ?? '').find((e) => e.name === groupPart);
      if (!g) throw invalid(`unable to convert uid/gid chown string to host mapping: can't find gid for group ${groupPart}: no such group: ${groupPart}`, { hint: "the group must exist in the image's /etc/group (or give a numeric gid)" });
      gid = g.gid;
    }
  }
  return { uid, gid };
}

/** A --chmod value applied to an entry's mode (permission and special bits, 07777). */
export function applyChmod(spec: string, mode: number, isDir: boolean): number {
  if (/^[0-7]+$/.test(spec)) return Number.parseInt(spec, 8) & 0o7777;
  let out = mode & 0o7777;
  for (const clause of spec.split(',')) {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!m) throw invalid(`invalid chmod parameter: '${spec}'`);
    const who = m[1] === '' || m[1].includes('a') ? 'ugo' : m[1];
    let bits = 0;
    for (const p of m[3]) bits |= permBits(p, who, isDir || (mode & 0o111) !== 0);
    const scope = whoMask(who);
    if (m[2] === '+') out |= bits;
    else if (m[2] === '-') out &= ~bits;
    else out = (out & ~scope) | bits;
  }
  return out;
}

function whoMask(who: string): number {
  let m = 0;
  if (who.includes('u')) m |= 0o4700;
  if (who.includes('g')) m |= 0o2070;
  if (who.includes('o')) m |= 0o1007;
  return m;
}

function permBits(p: string, who: string, execOk: boolean): number {
  const per = (u: number, g: number, o: number) => (who.includes('u') ? u : 0) | (who.includes('g') ? g : 0) | (who.includes('o') ? o : 0);
  switch (p) {
    case 'r':
      return per(0o400, 0o040, 0o004);
    case 'w':
      return per(0o200, 0o020, 0o002);
    case 'x':
      return per(0o100, 0o010, 0o001);
    case 'X':
      // Execute only for directories and files some class can already execute.
      return execOk ? per(0o100, 0o010, 0o001) : 0;
    case 's':
      return per(0o4000, 0o2000, 0);
    case 't':
      return who.includes('o') ? 0o1000 : 0;
    default:
      return 0;
  }
}
