// `image inspect` and `history`: the docker-shaped views of an image.
import { chainIds } from './digest.js';
import { parseReference } from './reference.js';
import type { ContainerConfig, ImageConfig } from './oci.js';
import type { ImageRecord, ImageStore } from './store/store.js';

function familiar(ref: string): string {
  try {
    return parseReference(ref).familiarString();
  } catch {
    return ref;
  }
}

/** docker's container.Config as image inspect shows it: every field present. */
export function dockerConfigView(c: ContainerConfig | null | undefined): Record<string, unknown> {
  const cfg = c ?? {};
  const view: Record<string, unknown> = {
    Hostname: '',
    Domainname: '',
    User: cfg.User ?? '',
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    ExposedPorts: cfg.ExposedPorts ?? undefined,
    Tty: false,
    OpenStdin: false,
    StdinOnce: false,
    Env: cfg.Env ?? null,
    Cmd: cfg.Cmd ?? null,
    Healthcheck: cfg.Healthcheck ?? undefined,
    ArgsEscaped: cfg.ArgsEscaped ?? undefined,
    Image: '',
    Volumes: cfg.Volumes ?? null,
    WorkingDir: cfg.WorkingDir ?? '',
    Entrypoint: cfg.Entrypoint ?? null,
    OnBuild: cfg.OnBuild ?? null,
    Labels: cfg.Labels ?? null,
    StopSignal: cfg.StopSignal ?? undefined,
    Shell: cfg.Shell ?? undefined,
  };
  for (const k of Object.keys(view)) if (view[k] === undefined) delete view[k];
  return view;
}

export async function inspectImage(store: ImageStore, rec: ImageRecord): Promise<Record<string, unknown>> {
  const config: ImageConfig = await store.config(rec);
  const chains = chainIds(config.rootfs.diff_ids);
  const dirs = chains.map((c) => store.snapshots.fsDir(c)).reverse();
  return {
    Id: rec.id,
    RepoTags: [...rec.refs].sort().map(familiar), // sorted by full reference, as docker lists them
    RepoDigests: [...rec.repoDigests].sort().map(familiar),
    Parent: rec.parent ?? '',
    // docker: the config's comment, else the newest history entry's (what `commit -m` sets).
    Comment: config.comment ?? config.history?.[config.history.length - 1]?.comment ?? '',
    Created: config.created ?? '',
    DockerVersion: config.docker_version ?? '',
    Author: config.author ?? '',
    Config: dockerConfigView(config.config),
    Architecture: config.architecture,
    Variant: config.variant,
    Os: config.os,
    Size: rec.size,
    GraphDriver: {
      Data: dirs.length ? { LowerDir: dirs.slice(1).join(':') || undefined, UpperDir: dirs[0] } : {},
      Name: 'overlay',
    },
    RootFS: { Type: config.rootfs.type, Layers: config.rootfs.diff_ids },
    Metadata: { LastTagTime: rec.lastTagTime ?? '0001-01-01T00:00:00Z' },
    Descriptor: { mediaType: rec.manifestMediaType, digest: rec.manifestDigest, size: rec.manifestSize },
  };
}

export interface HistoryRow {
  /** Image ID of the step, or `<missing>` when no local image has exactly that history. */
  id: string;
  created?: string;
  createdBy: string;
  size: number;
  comment: string;
  emptyLayer: boolean;
}

/**
 * One row per history entry, newest first. A row's size is its layer's unpacked size; rows
 * are matched to local images by walking `parent` links, as docker's legacy builder does.
 */
export async function imageHistory(store: ImageStore, rec: ImageRecord): Promise<HistoryRow[]> {
  const config = await store.config(rec);
  const history = config.history ?? [];
  const chains = chainIds(config.rootfs.diff_ids);
  let layer = 0;
  const rows: HistoryRow[] = history.map((h) => {
    const empty = h.empty_layer ?? false;
    const size = empty ? 0 : store.snapshots.size(chains[layer++] ?? '');
    return { id: '<missing>', created: h.created, createdBy: h.created_by ?? '', size, comment: h.comment ?? '', emptyLayer: empty };
  });
  // Layers without history entries (hand-made images): one row each.
  for (; layer < chains.length; layer++) {
    rows.push({ id: '<missing>', createdBy: '', size: store.snapshots.size(chains[layer]), comment: '', emptyLayer: false });
  }
  rows.reverse();
  // Row i belongs to the local image whose history has exactly rows.length - i entries.
  const records = store.list();
  let cur: ImageRecord | undefined = rec;
  let curLen = rows.length;
  for (let i = 0; i < rows.length; i++) {
    const want = rows.length - i;
    while (cur && curLen > want) {
      const parentId: string | undefined = cur.parent;
      cur = parentId ? records.find((r) => r.id === parentId) : undefined;
      curLen = cur ? ((await store.config(cur)).history ?? []).length : 0;
    }
    if (cur && curLen === want) rows[i].id = cur.id;
  }
  return rows;
}
