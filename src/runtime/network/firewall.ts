// Applying the nft scripts of nft-plan.ts, finding our rules again by their comment tag, and
// ip_forward. Reads and writes go through the Host (so --dry-run prints them).
import { mkdirSync, readFileSync } from 'node:fs';
import type { Engine } from '../../engine.js';
import { writeJsonAtomic } from '../../state/atomic.js';
import { hostNames } from './names.js';
import { parseRuleList, planDeleteRules, planSkeleton, renderScript, type RuleRef } from './nft-plan.js';

export async function applyNft(engine: Engine, lines: string[], why: string): Promise<void> {
  if (lines.length === 0) return;
  const table = hostNames(engine).table;
  await engine.host.run(['nft', '-f', '-'], { input: renderScript([...planSkeleton(table), ...lines]), why });
}

/** Every rule of our table (none when the table does not exist yet). */
export async function listRules(engine: Engine): Promise<RuleRef[]> {
  const table = hostNames(engine).table;
  const r = await engine.host.run(['nft', '-j', '-a', 'list', 'table', 'ip', table], { allowFailure: true, why: 'find our firewall rules by their tags' });
  if (r.code !== 0) return [];
  return parseRuleList(r.stdout);
}

/**
 * Delete, in one transaction, the rules whose comment satisfies `match`; with `dropEmptyTable`
 * the table goes too when nothing else is left in it (the last network removed).
 */
export async function deleteRules(engine: Engine, match: (comment: string) => boolean, why: string, dropEmptyTable = false): Promise<number> {
  const table = hostNames(engine).table;
  const rules = await listRules(engine);
  const doomed = rules.filter((r) => match(r.comment));
  const lines = planDeleteRules(table, doomed);
  if (dropEmptyTable && doomed.length === rules.length && engine.host.mode === 'real') lines.splice(0, lines.length, `delete table ip ${table}`);
  if (lines.length) await engine.host.run(['nft', '-f', '-'], { input: renderScript(lines), why });
  return doomed.length;
}

export async function deleteTable(engine: Engine): Promise<void> {
  const table = hostNames(engine).table;
  await engine.host.run(['nft', 'delete', 'table', 'ip', table], { allowFailure: true, why: 'remove our firewall table' });
}

/** Names of every minidock table on the host, all roots included. */
export async function minidockTables(engine: Engine): Promise<string[]> {
  const r = await engine.host.run(['nft', '-j', 'list', 'tables', 'ip'], { allowFailure: true, why: 'find minidock firewall tables' });
  if (r.code !== 0 || !r.stdout.trim()) return [];
  const doc = JSON.parse(r.stdout) as { nftables?: { table?: { name: string } }[] };
  return (doc.nftables ?? []).flatMap((i) => (i.table && /^minidock(-|$)/.test(i.table.name) ? [i.table.name] : []));
}

const IP_FORWARD = '/proc/sys/net/ipv4/ip_forward';

/**
 * NAT needs forwarding. docker turns it on and leaves it on; so do we, and we record that we
 * did (`/run/minidock/ip_forward.json`) so `resetNetworking` can put it back once no minidock
 * network is left on the host.
 */
export async function ensureIpForward(engine: Engine): Promise<void> {
  if (engine.host.mode === 'real' && readFileSync(IP_FORWARD, 'utf8').trim() === '1') return;
  const record = `${hostNames(engine).runDir}/ip_forward.json`;
  if (engine.host.mode === 'real') {
    mkdirSync(hostNames(engine).runDir, { recursive: true });
    writeJsonAtomic(record, { previous: '0', changedAt: new Date().toISOString(), by: 'minidock (NAT for a bridge network)' });
  }
  await engine.host.writeFile(IP_FORWARD, '1', 'containers on a bridge network reach the outside through NAT (docker does the same)');
}

/** Undo ensureIpForward if we turned it on and no minidock table remains on the host. */
export async function restoreIpForward(engine: Engine): Promise<boolean> {
  if (engine.host.mode !== 'real') return false;
  const record = `${hostNames(engine).runDir}/ip_forward.json`;
  let previous: string;
  try {
    previous = String((JSON.parse(readFileSync(record, 'utf8')) as { previous?: unknown }).previous ?? '');
  } catch {
    return false;
  }
  if (previous !== '0' || (await minidockTables(engine)).length) return false;
  await engine.host.writeFile(IP_FORWARD, '0', 'put ip_forward back as it was before minidock turned it on');
  await engine.host.remove(record, 'forget that minidock turned ip_forward on');
  return true;
}

/**
 * Another table's FORWARD hook with policy drop (docker's `iptables -P FORWARD DROP`, a host
 * firewall) drops what our table accepts: in nftables a packet must pass every base chain.
 * Returns a warning naming the chain, or undefined.
 */
export async function forwardDropWarning(engine: Engine): Promise<string | undefined> {
  const r = await engine.host.run(['nft', '-j', 'list', 'chains'], { allowFailure: true, why: 'check whether another firewall drops forwarded traffic' });
  if (r.code !== 0 || !r.stdout.trim()) return undefined;
  const doc = JSON.parse(r.stdout) as { nftables?: { chain?: { family: string; table: string; name: string; hook?: string; policy?: string } }[] };
  const own = hostNames(engine).table;
  for (const i of doc.nftables ?? []) {
    const c = i.chain;
    if (c && c.hook === 'forward' && c.policy === 'drop' && c.table !== own) {
      return `the ${c.family} ${c.table} table's ${c.name} chain drops forwarded packets by default: traffic between containers and to the outside may be dropped there (allow the minidock bridges in it, as docker's DOCKER-USER chain is meant for)`;
    }
  }
  return undefined;
}
