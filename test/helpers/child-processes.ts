/** Finding this process's live child processes (Linux /proc), to check a component released them. */
import { readdir, readFile } from 'node:fs/promises';

/** Number of live (non-zombie) children of this process whose command line contains `needle`. */
export async function countChildrenWith(needle: string): Promise<number> {
  let n = 0;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || Number(fields[1]) !== process.pid) continue;
      if ((await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes(needle)) n++;
    } catch {
      // the process ended while we looked
    }
  }
  return n;
}
