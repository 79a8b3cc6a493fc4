// Cache keys: what changes a key and what must not.
import { describe, expect, it } from 'vitest';
import { canonicalJson, instructionKeyData, stepCacheKey } from '../../../src/image/build/cache-key.js';
import { entriesDigest } from '../../../src/image/build/content-hash.js';
import { buildContext, expandInstruction, parseDockerfile, startStage } from '../../../src/image/dockerfile/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceEntry } from '../../../src/image/build/copy-plan.js';

const base = { parent: 'sha256:aa', epoch: 0, platform: 'linux/amd64' };

function keyOf(text: string, buildArgs: Record<string, string> = {}): string[] {
  const df = parseDockerfile(text);
  const ctx = buildContext(df, { buildArgs });
  let scope = startStage();
  return df.stages[0].instructions.map((inst) => {
    const r = expandInstruction(inst, scope, ctx);
    scope = r.scope;
    return stepCacheKey({ ...base, step: instructionKeyData(r.instruction) });
  });
}

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"z":1}]},"b":1}');
    expect(canonicalJson(new Map([['k', 'v']]))).toBe('{"k":"v"}');
  });
});

describe('stepCacheKey', () => {
  it('is a sha256 digest, stable for the same input', () => {
    const k = stepCacheKey({ ...base, step: { kind: 'run', argv: ['a'] } });
    expect(k).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(stepCacheKey({ ...base, step: { argv: ['a'], kind: 'run' } })).toBe(k);
  });
  it('changes with the parent, the epoch, the platform and the step', () => {
    const k = stepCacheKey({ ...base, step: 1 });
    expect(stepCacheKey({ ...base, parent: 'sha256:bb', step: 1 })).not.toBe(k);
    expect(stepCacheKey({ ...base, parent: undefined, step: 1 })).not.toBe(k);
    expect(stepCacheKey({ ...base, epoch: 1, step: 1 })).not.toBe(k);
    expect(stepCacheKey({ ...base, platform: 'linux/arm64', step: 1 })).not.toBe(k);
    expect(stepCacheKey({ ...base, step: 2 })).not.toBe(k);
  });
});

describe('instruction keys', () => {
  it('ignore line numbers, keyword case and quoting of the same meaning', () => {
    const [a] = keyOf('FROM x\nENV A=1\n');
    expect(keyOf('FROM x\n\n\nenv A=1\n')[0]).toBe(a);
    expect(keyOf('FROM x\nENV A="1"\n')[0]).toBe(a);
    expect(keyOf('FROM x\nENV A=2\n')[0]).not.toBe(a);
    expect(keyOf('FROM x\nLABEL A=1\n')[0]).not.toBe(a);
  });
  it('see the values variables expand to', () => {
    const [, env1] = keyOf('FROM x\nARG V=1\nENV A=$V\n');
    const [, env2] = keyOf('FROM x\nARG V=1\nENV A=$V\n', { V: '2' });
    expect(env2).not.toBe(env1);
  });
});

describe('entriesDigest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minidock-hash-'));
  const path = join(dir, 'f');
  const entry = (extra: Partial<SourceEntry> = {}): SourceEntry => ({ rel: 'f', kind: 'file', mode: 0o644, uid: 0, gid: 0, size: 5, mtime: 1, path, ...extra });

  it('covers content, mode and name but not mtime or owner', () => {
    writeFileSync(path, 'hello');
    const d = entriesDigest([entry()]);
    expect(entriesDigest([entry({ mtime: 999, uid: 5, gid: 5 })])).toBe(d);
    expect(entriesDigest([entry({ mode: 0o755 })])).not.toBe(d);
    expect(entriesDigest([entry({ rel: 'g' })])).not.toBe(d);
    writeFileSync(path, 'hellO');
    expect(entriesDigest([entry()])).not.toBe(d);
    rmSync(dir, { recursive: true, force: true });
  });
});
