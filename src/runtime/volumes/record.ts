// A volume on disk: `volumes/<name>/volume.json` (docker's Volume fields, plus whether the
// image content has been copied in) beside `volumes/<name>/_data`, the directory that is
// bind-mounted into containers. The record is written atomically and validated when read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { MinidockError, errnoCode } from '../../errors.js';
import { describeSchemaError } from '../../state/schema-error.js';

export const VolumeRecordSchema = z.looseObject({
  Name: z.string(),
  Driver: z.string(),
  Mountpoint: z.string(),
  CreatedAt: z.string(),
  Labels: z.nullable(z.record(z.string(), z.string())),
  Options: z.nullable(z.record(z.string(), z.string())),
  Scope: z.string(),
  /**
   * The image's content at the mount point has been copied in (or the volume was used
   * without copying and is no longer empty): copy-up never runs again, even if the user
   * empties the volume later. minidock's own field; `volume inspect` leaves it out.
   */
  Populated: z.optional(z.boolean()),
});
export type VolumeRecord = z.infer<typeof VolumeRecordSchema>;

export const RECORD_FILE = 'volume.json';
export const DATA_DIR = '_data';

/** RFC 3339 to the second, as docker prints CreatedAt (Go's time.RFC3339), in UTC. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The record in `dir`, or undefined when there is none (not a volume, or half made/removed). */
export function readRecord(dir: string): VolumeRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, RECORD_FILE), 'utf8'));
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return undefined;
    throw new MinidockError(`reading volume metadata ${join(dir, RECORD_FILE)}: ${(err as Error).message}`, { kind: 'corrupt', cause: err });
  }
  const parsed = VolumeRecordSchema.safeParse(raw);
  if (!parsed.success) {
    throw new MinidockError(`volume metadata ${join(dir, RECORD_FILE)} is invalid: ${describeSchemaError(parsed.error)}`, { kind: 'corrupt' });
  }
  return parsed.data;
}

/** docker's `volume inspect` object (api/types/volume.Volume; fields in its JSON order). */
export interface VolumeInspect {
  CreatedAt: string;
  Driver: string;
  Labels: Record<string, string> | null;
  Mountpoint: string;
  Name: string;
  Options: Record<string, string> | null;
  Scope: string;
}

export function inspectView(r: VolumeRecord, mountpoint: string): VolumeInspect {
  return {
    CreatedAt: r.CreatedAt,
    Driver: r.Driver,
    Labels: r.Labels,
    Mountpoint: mountpoint,
    Name: r.Name,
    Options: r.Options,
    Scope: r.Scope,
  };
}
