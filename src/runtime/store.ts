// Containers on disk: `containers/<id>/container.json` (immutable after create, but for the
// name) and `state.json`, each written atomically. Names are unique under the `names` lock;
// lifecycle changes of one container happen under its own lock, so commands on different
// containers never wait for each other.
import { describeSchemaError } from '../state/schema-error.js';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../engine.js';
import { MinidockError, errnoCode, notFound } from '../errors.js';
import { writeJsonAtomic } from '../state/atomic.js';
import { withLock } from '../state/lock.js';
import { ContainerSchema, StateSchema, initialState, type Container, type State } from './model.js';
import { VALID_NAME, randomName } from './names.js';

export interface ContainerEntry {
  container: Container;
  state: State;
}

export function newContainerId(): string {
  return randomBytes(32).toString('hex');
}

export class ContainerStore {
  constructor(readonly engine: Engine) {}

  dir(id: string): string {
    return this.engine.paths.container(id);
  }

  file(id: string, name: string): string {
    return join(this.dir(id), name);
  }

  ids(): string[] {
    try {
      return readdirSync(this.engine.paths.containersDir).filter((n) => /^[a-f0-9]{64}$/.test(n));
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw err;
    }
  }

  private readJson(id: string, name: string): unknown {
    return JSON.parse(readFileSync(this.file(id, name), 'utf8'));
  }

  readContainer(id: string): Container {
    const parsed = ContainerSchema.safeParse(this.readJson(id, 'container.json'));
    if (!parsed.success) throw new MinidockError(`container ${id.slice(0, 12)}: container.json is invalid: ${describeSchemaError(parsed.error)}`, { kind: 'corrupt' });
    return parsed.data;
  }

  readState(id: string): State {
    let raw: unknown;
    try {
      raw = this.readJson(id, 'state.json');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return initialState();
      throw err;
    }
    const parsed = StateSchema.safeParse(raw);
    if (!parsed.success) throw new MinidockError(`container ${id.slice(0, 12)}: state.json is invalid: ${describeSchemaError(parsed.error)}`, { kind: 'corrupt' });
    return parsed.data;
  }

  writeState(id: string, state: State): void {
    writeJsonAtomic(this.file(id, 'state.json'), state);
  }

  writeContainer(c: Container): void {
    writeJsonAtomic(this.file(c.Id, 'container.json'), c);
  }

  /** Every container whose files are complete (a half-created one is skipped). */
  list(): ContainerEntry[] {
    const out: ContainerEntry[] = [];
    for (const id of this.ids()) {
      try {
        out.push({ container: this.readContainer(id), state: this.readState(id) });
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') continue; // being created or removed right now
        throw err;
      }
    }
    return out;
  }

  /** docker's lookup: full ID, exact name, then a unique ID prefix. */
  find(ref: string): ContainerEntry | undefined {
    const name = ref.replace(/^\//, '');
    const ids = this.ids();
    if (ids.includes(ref)) return { container: this.readContainer(ref), state: this.readState(ref) };
    const all = this.list();
    const byName = all.find((e) => e.container.Name === name);
    if (byName) return byName;
    if (!/^[a-f0-9]+$/.test(ref)) return undefined;
    const hits = all.filter((e) => e.container.Id.startsWith(ref));
    if (hits.length > 1) {
      throw new MinidockError(`multiple IDs found with provided prefix: ${ref}`, { kind: 'conflict', hint: 'give more characters of the ID, or the name' });
    }
    return hits[0];
  }

  get(ref: string): ContainerEntry {
    const e = this.find(ref);
    if (!e) throw notFound(`No such container: ${ref}`);
    return e;
  }

  /** Run `fn` with this container's lifecycle lock held. */
  locked<T>(id: string, fn: () => Promise<T> | T): Promise<T> {
    return withLock(this.engine.paths.lock(`container-${id}`), fn, { what: `container ${id.slice(0, 12)}` });
  }

  /** Reserve a name (or make one up) and write the new container's files. */
  async create(build: (name: string) => Container, requested?: string): Promise<Container> {
    if (requested !== undefined && !VALID_NAME.test(requested)) {
      throw new MinidockError(`Invalid container name (${requested}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, { kind: 'usage' });
    }
    return withLock(this.engine.paths.lock('names'), () => {
      const taken = new Set(this.list().map((e) => e.container.Name));
      let name = requested?.replace(/^\//, '');
      if (name !== undefined && taken.has(name)) {
        const holder = this.list().find((e) => e.container.Name === name)!;
        throw new MinidockError(
          `Conflict. The container name "/${name}" is already in use by container "${holder.container.Id}". You have to remove (or rename) that container to be able to reuse that name.`,
          { kind: 'conflict', exitCode: 125 },
        );
      }
      for (let i = 0; name === undefined; i++) {
        const candidate = randomName(i > 5 ? i : 0);
        if (!taken.has(candidate)) name = candidate;
      }
      const c = build(name);
      mkdirSync(this.dir(c.Id), { recursive: true });
      // No state.json yet: a missing one reads as "created" (readState).
      this.writeContainer(c); // last: a container without container.json is not listed
      return c;
    });
  }

  async rename(id: string, newName: string): Promise<void> {
    if (!VALID_NAME.test(newName)) {
      throw new MinidockError(`Invalid container name (${newName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`, { kind: 'usage' });
    }
    const name = newName.replace(/^\//, '');
    await withLock(this.engine.paths.lock('names'), () => {
      const holder = this.list().find((e) => e.container.Name === name);
      if (holder && holder.container.Id !== id) {
        throw new MinidockError(`Error when allocating new name: Conflict. The container name "/${name}" is already in use by container "${holder.container.Id}". You have to remove (or rename) that container to be able to reuse that name.`, { kind: 'conflict' });
      }
      const c = this.readContainer(id);
      c.Name = name;
      this.writeContainer(c);
    });
  }

  /** Delete the container's directory (its record first, so a crash leaves no half-listed container). */
  removeFiles(id: string): void {
    rmSync(this.file(id, 'container.json'), { force: true });
    rmSync(this.dir(id), { recursive: true, force: true });
  }

  exists(id: string): boolean {
    return existsSync(this.file(id, 'container.json'));
  }
}
