// The command table: which words load which module, and the one-line summaries that
// `minidock --help` prints without loading any command module (start-up stays cheap).
import type { CommandModule } from './context.js';

type Loader = () => Promise<{ default: CommandModule }>;

export interface Route {
  summary: string;
  load: Loader;
}

/** Management groups, as docker has them: `minidock image ls`, `minidock container rm`, … */
export const GROUPS: Record<string, string> = {
  image: 'Manage images',
  container: 'Manage containers',
  system: 'Manage minidock',
  volume: 'Manage volumes',
  network: 'Manage networks',
  builder: 'Manage builds',
};

/** Keys are the words typed: "images" or "image ls". */
export const ROUTES: Record<string, Route> = {};

function route(words: string[], summary: string, load: Loader): void {
  for (const w of words) ROUTES[w] = { summary, load };
}

route(['images', 'image ls', 'image list'], 'List images', () => import('./commands/images.js'));
route(['import', 'image import'], 'Import the contents from a tarball to create a filesystem image', () => import('./commands/import.js'));
route(['tag', 'image tag'], 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', () => import('./commands/tag.js'));
route(['rmi', 'image rm', 'image remove'], 'Remove one or more images', () => import('./commands/rmi.js'));
route(['image prune'], 'Remove unused images', () => import('./commands/image-prune.js'));
route(['image inspect'], 'Display detailed information on one or more images', () => import('./commands/image-inspect.js'));
route(['inspect'], 'Return low-level information on minidock objects', () => import('./commands/inspect.js'));
route(['history', 'image history'], 'Show the history of an image', () => import('./commands/history.js'));
route(['save', 'image save'], 'Save one or more images to a tar archive', () => import('./commands/save.js'));
route(['load', 'image load'], 'Load an image from a tar archive or STDIN', () => import('./commands/load.js'));
route(['system df'], 'Show minidock disk usage', () => import('./commands/system-df.js'));
route(['run', 'container run'], 'Create and run a new container from an image', () => import('./commands/run.js'));
route(['create', 'container create'], 'Create a new container', () => import('./commands/create.js'));
route(['start', 'container start'], 'Start one or more stopped containers', () => import('./commands/start.js'));
route(['stop', 'container stop'], 'Stop one or more running containers', () => import('./commands/stop.js'));
route(['kill', 'container kill'], 'Kill one or more running containers', () => import('./commands/kill.js'));
route(['restart', 'container restart'], 'Restart one or more containers', () => import('./commands/restart.js'));
route(['rm', 'container rm', 'container remove'], 'Remove one or more containers', () => import('./commands/rm.js'));
route(['ps', 'container ls', 'container list', 'container ps'], 'List containers', () => import('./commands/ps.js'));
route(['logs', 'container logs'], 'Fetch the logs of a container', () => import('./commands/logs.js'));
route(['exec', 'container exec'], 'Execute a command in a running container', () => import('./commands/exec.js'));
route(['wait', 'container wait'], 'Block until one or more containers stop, then print their exit codes', () => import('./commands/wait.js'));
route(['pause', 'container pause'], 'Pause all processes within one or more containers', () => import('./commands/pause.js'));
route(['unpause', 'container unpause'], 'Unpause all processes within one or more containers', () => import('./commands/unpause.js'));
route(['rename', 'container rename'], 'Rename a container', () => import('./commands/rename.js'));
route(['container inspect'], 'Display detailed information on one or more containers', () => import('./commands/inspect.js'));
route(['container cleanup'], 'Clean up after a container whose process has ended (run by the shim)', () => import('./commands/container-cleanup.js'));
route(['top', 'container top'], 'Display the running processes of a container', () => import('./commands/top.js'));
route(['stats', 'container stats'], 'Display a live stream of container(s) resource usage statistics', () => import('./commands/stats.js'));
route(['volume create'], 'Create a volume', () => import('./commands/volume-create.js'));
route(['volume ls', 'volume list'], 'List volumes', () => import('./commands/volume-ls.js'));
route(['volume rm', 'volume remove'], 'Remove one or more volumes', () => import('./commands/volume-rm.js'));
route(['volume inspect'], 'Display detailed information on one or more volumes', () => import('./commands/volume-inspect.js'));
route(['volume prune'], 'Remove unused local volumes', () => import('./commands/volume-prune.js'));
route(['port', 'container port'], 'List port mappings or a specific mapping for the container', () => import('./commands/port.js'));
route(['network create'], 'Create a network', () => import('./commands/network-create.js'));
route(['network ls', 'network list'], 'List networks', () => import('./commands/network-ls.js'));
route(['network rm', 'network remove'], 'Remove one or more networks', () => import('./commands/network-rm.js'));
route(['network inspect'], 'Display detailed information on one or more networks', () => import('./commands/network-inspect.js'));
route(['network connect'], 'Connect a container to a network', () => import('./commands/network-connect.js'));
route(['network disconnect'], 'Disconnect a container from a network', () => import('./commands/network-disconnect.js'));
route(['network prune'], 'Remove all unused networks', () => import('./commands/network-prune.js'));
route(['cp', 'container cp'], 'Copy files/folders between a container and the local filesystem', () => import('./commands/cp.js'));
route(['diff', 'container diff'], "Inspect changes to files or directories on a container's filesystem", () => import('./commands/diff.js'));
route(['commit', 'container commit'], "Create a new image from a container's changes", () => import('./commands/commit.js'));
route(['container prune'], 'Remove all stopped containers', () => import('./commands/container-prune.js'));
route(['system reset'], 'Reset minidock storage back to its initial state', () => import('./commands/system-reset.js'));
route(['build', 'image build', 'builder build'], 'Build an image from a Dockerfile', () => import('./commands/build.js'));
