// Which containers use which volume. Like docker's reference counts, every container
// record counts, whatever its state: a stopped container still holds its volumes until it
// is removed. Read from the container records each time (no second bookkeeping to drift).
import type { Engine } from '../../engine.js';
import { ContainerStore } from '../store.js';

/** Volume name → IDs of the containers whose Mounts name it (`except` left out). */
export function volumeUsers(engine: Engine, except?: string): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const { container } of new ContainerStore(engine).list()) {
    if (container.Id === except) continue;
    for (const m of container.Mounts) {
      if (m.Type !== 'volume' || !m.Name) continue;
      const ids = users.get(m.Name) ?? [];
      if (!ids.includes(container.Id)) ids.push(container.Id);
      users.set(m.Name, ids);
    }
  }
  return users;
}

/** docker's refusal: `remove NAME: volume is in use - [ID, ID]`. */
export function inUseMessage(name: string, ids: readonly string[]): string {
  return `remove ${name}: volume is in use - [${ids.join(', ')}]`;
}
