// `volume ls`: the volumes that pass the filters (dangling, name, driver, label), sorted
// as the docker CLI sorts them (natural order of names), as rows for the list formatter:
// one property per column of docker's volume context (cli/command/formatter/volume.go).
import type { Engine } from '../../engine.js';
import { checkFilterKeys, boolFilter, matchLabelFilters, matchName, parseFilters } from './filters.js';
import type { VolumeRecord } from './record.js';
import { VolumeStore } from './store.js';
import { volumeUsers } from './usage.js';

/**
 * One row of `volume ls`: plain fields (the formatter turns them into docker's context
 * methods). Links and Size need usage data that docker only computes for `system df`.
 */
export class VolumeRow {
  readonly Name: string;
  readonly Driver: string;
  readonly Scope: string;
  /** `k=v,k2=v2`, sorted (docker prints Go's random map order). */
  readonly Labels: string;
  readonly Links = 'N/A';
  readonly Size = 'N/A';
  readonly Availability = 'N/A';
  readonly Group = 'N/A';
  readonly Status = 'N/A';
  private readonly labelMap: Record<string, string>;

  constructor(v: VolumeRecord, readonly Mountpoint: string) {
    this.Name = v.Name;
    this.Driver = v.Driver;
    this.Scope = v.Scope;
    this.labelMap = { ...v.Labels };
    this.Labels = Object.entries(this.labelMap)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, val]) => `${k}=${val}`)
      .join(',');
  }

  /** `{{.Label "key"}}` */
  Label(name: string): string {
    return Object.hasOwn(this.labelMap, name) ? this.labelMap[name] : '';
  }
}

const LIST_FILTERS = ['dangling', 'name', 'driver', 'label', 'label!'];

/** fvbommel/sortorder NaturalLess, which the docker CLI sorts volume names with. */
export function naturalLess(a: string, b: string): boolean {
  const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const d1 = digit(a[i]);
    const d2 = digit(b[j]);
    if (d1 !== d2) return d1;
    if (!d1) {
      if (a[i] !== b[j]) return a[i] < b[j];
      i++;
      j++;
      continue;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    const nz1 = i;
    const nz2 = j;
    while (digit(a[i])) i++;
    while (digit(b[j])) j++;
    if (i - nz1 !== j - nz2) return i - nz1 < j - nz2;
    const n1 = a.slice(nz1, i);
    const n2 = b.slice(nz2, j);
    if (n1 !== n2) return n1 < n2;
    if (nz1 !== nz2) return nz1 < nz2;
  }
  return a.length < b.length;
}

/** `filters`: the `--filter` values as typed. */
export function listVolumes(engine: Engine, filters: readonly string[] = []): VolumeRow[] {
  const f = parseFilters(filters);
  checkFilterKeys(f, LIST_FILTERS);
  const dangling = boolFilter(f, 'dangling');
  const drivers = f.get('driver');
  const store = new VolumeStore(engine);
  const users = dangling === undefined ? undefined : volumeUsers(engine);
  return store
    .list()
    .filter((v) => matchName(f, v.Name))
    .filter((v) => !drivers || drivers.includes(v.Driver))
    .filter((v) => matchLabelFilters(f, v.Labels))
    .filter((v) => users === undefined || users.has(v.Name) !== dangling)
    .sort((a, b) => (naturalLess(a.Name, b.Name) ? -1 : naturalLess(b.Name, a.Name) ? 1 : 0))
    .map((v) => new VolumeRow(v, store.dataDir(v.Name)));
}
