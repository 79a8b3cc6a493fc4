// `minidock ps` / `container ls`: docker's columns, STATUS strings and filters.
import type { Command } from 'commander';
import { ImageStore } from '../../image/store/store.js';
import { directorySize } from '../../image/disk-usage.js';
import { containerPaths } from '../../runtime/prepare.js';
import { listContainers, type PsEntry } from '../../runtime/ps.js';
import type { Engine } from '../../engine.js';
import { collect, type CommandModule } from '../context.js';
import { renderList, selectFormat } from '../format/formatter.js';
import * as H from '../format/headers.js';
import { commandSummary, renderCommandColumn, renderStatus, truncateID } from '../format/status.js';
import { createdSince, formatGoTimeString, humanSizeWithPrecision, nanosFromMillis } from '../format/units.js';
import { CONTAINER_LIST_FILTERS, parseFilters, validateContainerFilterValues, validateFilters } from '../parse/filter.js';
import { publishedPorts, renderPortsColumn } from '../../runtime/network/index.js';

const TABLE = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

const HEADERS = {
  ID: H.CONTAINER_ID,
  Image: H.IMAGE,
  Command: H.COMMAND,
  CreatedAt: H.CREATED_AT,
  RunningFor: H.CREATED,
  Ports: H.PORTS,
  State: H.STATE,
  Status: H.STATUS,
  Size: H.SIZE,
  Names: H.NAMES,
  Labels: H.LABELS,
  Mounts: H.MOUNTS,
  Networks: H.NETWORKS,
  LocalVolumes: H.LOCAL_VOLUMES,
  Platform: H.PLATFORM,
};

const time = (s: string) => {
  const t = Date.parse(s);
  return Number.isFinite(t) && t > 0 ? t : undefined;
};

type FindImage = (ref: string) => ReturnType<ImageStore['find']>;

/** The IMAGE column: the name it was created with, or the short ID once that name points elsewhere. */
function imageColumn(findImage: FindImage, e: PsEntry, trunc: boolean): string {
  const c = e.container;
  const rec = findImage(c.Config.Image);
  if (rec && rec.id === c.Image) return c.Config.Image;
  return trunc ? truncateID(c.Image) : c.Image;
}

export function psRow(engine: Engine, findImage: FindImage, e: PsEntry, opts: { trunc: boolean; size: boolean }) {
  const { container: c, state: s } = e;
  const created = time(c.Created) ?? 0;
  const started = time(s.StartedAt);
  const finished = time(s.FinishedAt);
  const running = s.Status === 'running' || s.Status === 'paused' || s.Status === 'restarting';
  return {
    ID: opts.trunc ? truncateID(c.Id) : c.Id,
    Image: imageColumn(findImage, e, opts.trunc),
    Command: renderCommandColumn(commandSummary(c.Path, c.Args), opts.trunc),
    // docker formats time.Unix(Created, 0): whole seconds, no fraction.
    CreatedAt: formatGoTimeString(nanosFromMillis(Math.floor(created / 1000) * 1000)),
    RunningFor: createdSince(created),
    Ports: renderPortsColumn(running ? publishedPorts(engine, c) : [], Object.keys(c.Config.ExposedPorts ?? {})),
    State: s.Status,
    Status: renderStatus({ running, paused: s.Status === 'paused', restarting: s.Status === 'restarting', removalInProgress: s.Status === 'removing', dead: s.Status === 'dead', exitCode: s.ExitCode, startedAt: started, finishedAt: finished }),
    Size: opts.size ? `${humanSizeWithPrecision(directorySize(containerPaths(engine, c.Id).upper), 3)} (virtual ${humanSizeWithPrecision(findImage(c.Image)?.size ?? 0, 3)})` : '',
    Names: c.Name,
    Labels: Object.entries(c.Config.Labels).map(([k, v]) => `${k}=${v}`).join(','),
    /** docker's ContainerContext.Label: `{{.Label "com.example.key"}}` (a method: left out of json). */
    Label: (name: unknown) => c.Config.Labels[String(name)] ?? '',
    Mounts: c.Mounts.map((m) => m.Name ?? m.Source).join(','),
    Networks: c.HostConfig.NetworkMode,
    LocalVolumes: String(c.Mounts.filter((m) => m.Type === 'volume').length),
    Platform: 'linux',
  };
}

const command: CommandModule = {
  define(cmd: Command) {
    cmd
      .description('List containers')
      .option('-a, --all', 'Show all containers (default shows just running)')
      .option('-f, --filter <filter>', 'Filter output based on conditions provided', collect, [])
      .option('--format <string>', "Format output using a custom template: 'table', 'table TEMPLATE', 'json', 'TEMPLATE'")
      .option('-n, --last <int>', 'Show n last created containers (includes all states)', (v) => Number.parseInt(v, 10))
      .option('-l, --latest', 'Show the latest created container (includes all states)')
      .option('--no-trunc', "Don't truncate output")
      .option('-q, --quiet', 'Only display container IDs')
      .option('-s, --size', 'Display total file sizes');
  },
  async action(ctx, _args, opts) {
    const filters = parseFilters(opts.filter);
    validateFilters(filters, CONTAINER_LIST_FILTERS);
    validateContainerFilterValues(filters);
    const engine = ctx.engine();
    const images = new ImageStore(engine);
    const entries = listContainers(engine, { all: opts.all, last: opts.latest ? 1 : opts.last, filters });
    const trunc = opts.trunc !== false;
    // many containers share an image: each reference is looked up once per listing
    const found = new Map<string, ReturnType<ImageStore['find']>>();
    const findImage: FindImage = (ref) => {
      if (!found.has(ref)) found.set(ref, images.find(ref));
      return found.get(ref);
    };
    const rows = entries.map((e) => psRow(engine, findImage, e, { trunc, size: !!opts.size }));
    const format = selectFormat(opts.format, { table: opts.size ? `${TABLE}\t{{.Size}}` : TABLE, quiet: opts.quiet });
    ctx.out(renderList(format, rows, { headers: HEADERS }));
  },
};
export default command;
