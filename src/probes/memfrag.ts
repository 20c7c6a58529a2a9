/**
 * Memory fragmentation (ACK's MemFragment): free blocks of order ≥ 4 (64 KiB and up with 4 KiB
 * pages) in each `Normal` zone of `<proc>/buddyinfo`. When they run out, high-order allocations
 * (network buffers, huge pages, fork of large processes) stall in compaction. ACK's memfrag.sh
 * skipped nodes under 4 GiB and fired when any Normal zone had fewer than 100 such blocks.
 */
import { join } from 'node:path';
import { mibText, parseMeminfo } from './memleak.js';
import type { ProbeDefinition, ProbeResult } from './probe.js';
import { readProbeFile } from './read-probe-file.js';
import { readOptions } from './option-reader.js';

/** Limits of {@link probeMemfrag}. */
export interface MemfragLimits {
  /** Nodes with less memory are not checked (small zones are naturally short of large blocks). @default 4 */
  readonly minMemoryGiB: number;
  /** The smallest order counted as a large block. @default 4 */
  readonly minOrder: number;
  /** Problem when a Normal zone has fewer large free blocks than this. @default 100 */
  readonly minBlocks: number;
}

/** One zone line of `buddyinfo`: free blocks per order, from order 0. */
export interface BuddyZone {
  readonly node: number;
  readonly zone: string;
  readonly free: readonly number[];
}

/** Parses `<proc>/buddyinfo` (`Node 0, zone   Normal  a0 a1 … a10`); undefined for a line of another shape. */
export function parseBuddyinfo(text: string): BuddyZone[] | undefined {
  const zones: BuddyZone[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^Node\s+(\d+),\s+zone\s+(\S+)((?:\s+\d+)+)\s*$/.exec(line);
    if (!m) return undefined;
    zones.push({ node: Number(m[1]), zone: m[2] as string, free: (m[3] as string).trim().split(/\s+/).map(Number) });
  }
  return zones;
}

/** Free blocks of order `minOrder` and above in `zone`. */
export function largeFreeBlocks(zone: BuddyZone, minOrder: number): number {
  return zone.free.slice(minOrder).reduce((sum, n) => sum + n, 0);
}

/**
 * Checks every Normal zone for large free blocks; the poorest zone decides and is named.
 * @example await probeMemfrag('/proc', { minMemoryGiB: 4, minOrder: 4, minBlocks: 100 })
 */
export async function probeMemfrag(proc: string, limits: MemfragLimits): Promise<ProbeResult> {
  const meminfoPath = join(proc, 'meminfo');
  const meminfo = await readProbeFile(meminfoPath);
  if (!meminfo.ok) return meminfo.result;
  const total = parseMeminfo(meminfo.text)?.get('MemTotal');
  if (total === undefined) return { status: 'unknown', cause: 'Unparsable', message: `couldn't parse ${meminfoPath}: no MemTotal` };
  if (total < limits.minMemoryGiB * 1024 * 1024) {
    return { status: 'ok', message: `not checked: memory is ${mibText(total)}, below ${limits.minMemoryGiB} GiB` };
  }
  const path = join(proc, 'buddyinfo');
  const input = await readProbeFile(path);
  if (!input.ok) return input.result;
  const zones = parseBuddyinfo(input.text);
  if (!zones) return { status: 'unknown', cause: 'Unparsable', message: `couldn't parse ${path}: ${JSON.stringify(input.text.slice(0, 40))}` };
  const normal = zones.filter((z) => z.zone === 'Normal').map((z) => ({ node: z.node, blocks: largeFreeBlocks(z, limits.minOrder) }));
  if (normal.length === 0) return { status: 'unknown', cause: 'NoData', message: `no Normal zone in ${path}` };
  const poorest = normal.reduce((a, b) => (b.blocks < a.blocks ? b : a));
  const figures = `${poorest.blocks} free blocks of order ≥ ${limits.minOrder} in the Normal zone of node ${poorest.node} (min ${limits.minBlocks})`;
  if (poorest.blocks < limits.minBlocks) return { status: 'problem', message: `memory is fragmented: ${figures}` };
  return { status: 'ok', message: figures };
}

/** The `memfrag` probe: nodes of `minMemoryGiB` (default 4) need `minBlocks` (100) free blocks of order ≥ `minOrder` (4). */
export const memfragProbe: ProbeDefinition<'memfrag'> = {
  name: 'memfrag',
  create(options, ctx, where) {
    const opts = readOptions('memfrag', options, ['minMemoryGiB', 'minOrder', 'minBlocks'], where);
    const limits = { minMemoryGiB: opts.integer('minMemoryGiB', 4, 0), minOrder: opts.integer('minOrder', 4, 0, 10), minBlocks: opts.integer('minBlocks', 100, 1) };
    return () => probeMemfrag(ctx.procRoot, limits);
  },
};
