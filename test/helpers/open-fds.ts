/** Counting this process's open file descriptors under a directory (Linux /proc/self/fd). */
import { readdir, readlink } from 'node:fs/promises';

/** Number of fds of this process whose target path starts with `dir`. */
export async function countOpenFdsUnder(dir: string): Promise<number> {
  let n = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.startsWith(dir)) n++;
  }
  return n;
}
