/**
 * A memory cgroup with a hard limit, made for one test or bench run, so the built agent can run
 * under the DaemonSet's memory limit as the kubelet would enforce it: the kernel OOM-kills a process
 * that goes over. cgroup v2 (`memory.max`, `memory.peak`, `memory.events`) or v1
 * (`memory.limit_in_bytes`, `memory.max_usage_in_bytes`, `memory.oom_control`). The cgroup is made
 * below this process's own memory cgroup, so it also stays inside whatever limit this process has.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A memory cgroup made by {@link createMemoryCgroup}. */
export interface MemoryCgroup {
  /** Its directory in the cgroup filesystem. */
  readonly path: string;
  readonly version: 1 | 2;
  /** The hard limit, bytes. */
  readonly limitBytes: number;
  /** `[command, args]` that runs `argv` inside the cgroup (the shell moves itself in, then `exec`s). */
  command(argv: readonly string[]): [string, string[]];
  /** The highest charge so far (anonymous memory, page cache and kernel memory), bytes; undefined where the kernel does not keep it. */
  peakBytes(): number | undefined;
  /** Processes the kernel OOM-killed in this cgroup so far. */
  oomKills(): number;
  /** Times the charge hit the limit (and the kernel had to reclaim), or undefined (v2 without `max` in memory.events). */
  limitHits(): number | undefined;
  /** Kills what is left inside with SIGKILL and removes the cgroup. */
  remove(): Promise<void>;
}

/** Why a memory cgroup cannot be made here (not root, no memory controller, read-only cgroupfs…). */
export interface NoMemoryCgroup {
  readonly skip: string;
}

const root = '/sys/fs/cgroup';

/** This process's path in the hierarchy of `controller` (v1), or in the unified hierarchy (`''`). */
function ownPath(controller: string): string | undefined {
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (controllers === undefined || path === undefined) continue;
    if (controller === '' ? controllers === '' : controllers.split(',').includes(controller)) return path;
  }
  return undefined;
}

/** Which hierarchy holds the memory controller, and this process's directory in it. */
function memoryHierarchy(): { version: 1 | 2; parent: string } | NoMemoryCgroup {
  if (existsSync(join(root, 'cgroup.controllers'))) {
    const own = ownPath('') ?? '/';
    const parent = join(root, own);
    const controllers = readFileSync(join(root, 'cgroup.controllers'), 'utf8');
    if (!controllers.split(/\s+/).includes('memory')) return { skip: 'cgroup v2 without the memory controller' };
    return { version: 2, parent };
  }
  if (existsSync(join(root, 'memory', 'memory.limit_in_bytes'))) return { version: 1, parent: join(root, 'memory', ownPath('memory') ?? '/') };
  return { skip: `no memory cgroup controller under ${root}` };
}

const readNumber = (file: string): number => Number(readFileSync(file, 'utf8').trim());
/** `key value` lines (memory.events, memory.oom_control) → the value of `key`, or undefined. */
function readKey(file: string, key: string): number | undefined {
  const line = readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${key} `));
  return line === undefined ? undefined : Number(line.slice(key.length + 1));
}
const pidsIn = (dir: string): number[] => readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);

/**
 * Makes a cgroup `name` (made unique with this process's pid) limited to `limitBytes`, with no swap
 * to escape to, or says why it cannot (the caller skips and prints the reason).
 */
export function createMemoryCgroup(name: string, limitBytes: number): MemoryCgroup | NoMemoryCgroup {
  if (process.platform !== 'linux') return { skip: `${process.platform} has no cgroups` };
  if (process.getuid?.() !== 0) return { skip: 'not root: only root can make a memory cgroup here' };
  const where = memoryHierarchy();
  if ('skip' in where) return where;
  const { version, parent } = where;
  const path = join(parent, `${name}-${process.pid}`);
  try {
    if (version === 2) {
      // A v2 child has the memory controller only if its parent delegates it.
      const delegated = readFileSync(join(parent, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('memory');
      if (!delegated) return { skip: `cgroup v2: ${parent} does not delegate the memory controller to its children` };
      mkdirSync(path);
      writeFileSync(join(path, 'memory.max'), String(limitBytes));
      if (existsSync(join(path, 'memory.swap.max'))) writeFileSync(join(path, 'memory.swap.max'), '0');
    } else {
      mkdirSync(path);
      writeFileSync(join(path, 'memory.limit_in_bytes'), String(limitBytes));
      // With swap on the host, a v1 limit without memsw lets the process page out instead of dying.
      if (existsSync(join(path, 'memory.memsw.limit_in_bytes'))) writeFileSync(join(path, 'memory.memsw.limit_in_bytes'), String(limitBytes));
    }
  } catch (err) {
    try {
      rmdirSync(path);
    } catch {
      // never made
    }
    return { skip: `cannot make a memory cgroup under ${parent}: ${(err as Error).message}` };
  }
  const file = (f: string): string => join(path, f);
  return {
    path,
    version,
    limitBytes,
    command(argv) {
      return ['sh', ['-c', `echo $$ > '${file('cgroup.procs')}' && exec "$@"`, 'sh', ...argv]];
    },
    peakBytes() {
      if (version === 1) return readNumber(file('memory.max_usage_in_bytes'));
      return existsSync(file('memory.peak')) ? readNumber(file('memory.peak')) : undefined;
    },
    oomKills() {
      return (version === 1 ? readKey(file('memory.oom_control'), 'oom_kill') : readKey(file('memory.events'), 'oom_kill')) ?? 0;
    },
    limitHits() {
      return version === 1 ? readNumber(file('memory.failcnt')) : readKey(file('memory.events'), 'max');
    },
    async remove() {
      for (let i = 0; i < 200; i++) {
        const pids = pidsIn(path);
        if (pids.length === 0) break;
        for (const pid of pids) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      rmdirSync(path);
    },
  };
}

/**
 * Drops the pages of `path` (written back first) from the page cache, this file only, so the next
 * reader's cgroup is charged for every page it reads (a page is charged to the cgroup that first
 * brings it in: the writer's, while it stays cached).
 */
export function dropPageCache(path: string): void {
  const r = spawnSync('dd', [`of=${path}`, 'oflag=nocache', 'conv=notrunc,fdatasync', 'count=0', 'status=none']);
  if (r.status !== 0) throw new Error(`dd could not drop ${path} from the page cache: ${r.stderr?.toString() ?? r.error?.message}`);
}
