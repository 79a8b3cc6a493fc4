// sha256 digests: computing them, and chain IDs (the key of an unpacked layer stack).
// https://github.com/opencontainers/image-spec/blob/main/config.md#layer-chainid
import { createHash } from 'node:crypto';

export function sha256(data: string | Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** ChainID(L0) = DiffID(L0); ChainID(L0|…|Ln) = sha256(ChainID(L0|…|Ln-1) + " " + DiffID(Ln)). */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) out.push(out.length === 0 ? d : sha256(`${out[out.length - 1]} ${d}`));
  return out;
}

export function shortId(digestOrId: string): string {
  return digestOrId.replace(/^sha256:/, '').slice(0, 12);
}
