/**
 * Cgroup count (ACK's cgroupPressure): `num_cgroups` of the `memory` and `cpuacct` controllers in
 * `<proc>/cgroups`. Thousands of cgroups (often dying ones a leaked page still pins) slow every
 * memory-cgroup walk in the kernel; ACK's `checkcgroup --t=1000` fired at 1000.
 */
import { join } from 'node:path';
import type { ProbeDefinition, ProbeResult } from './probe.js';
import { readProbeFile } from './read-probe-file.js';
import { isOverCount, watermarkCheck, type CountLimits } from './watermark.js';
import { readOptions } from './option-reader.js';

/**
 * Parses `<proc>/cgroups` (header `#subsys_name hierarchy num_cgroups enabled`) into `num_cgroups`
 * by controller; undefined without the header or for a line of another shape.
 */
export function parseCgroups(text: string): ReadonlyMap<string, number> | undefined {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (!/^#subsys_name\s+hierarchy\s+num_cgroups\s+enabled\s*$/.test(lines[0] ?? '')) return undefined;
  const counts = new Map<string, number>();
  for (const line of lines.slice(1)) {
    const m = /^(\S+)\s+\d+\s+(\d+)\s+[01]\s*$/.exec(line);
    if (!m) return undefined;
    counts.set(m[1] as string, Number(m[2]));
  }
  return counts;
}

/**
 * Checks the cgroup count of each of `controllers` against `limits`; the fullest decides. A
 * controller the kernel does not list (cgroup v2-only kernels may omit `cpuacct`) is skipped.
 * @example await probeCgroups('/proc', ['memory', 'cpuacct'], { max: 1000 })
 */
export async function probeCgroups(proc: string, controllers: readonly string[], limits: CountLimits): Promise<ProbeResult> {
  const path = join(proc, 'cgroups');
  const input = await readProbeFile(path);
  if (!input.ok) return input.result;
  const counts = parseCgroups(input.text);
  if (!counts) return { status: 'unknown', cause: 'Unparsable', message: `couldn't parse ${path}: ${JSON.stringify(input.text.slice(0, 40))}` };
  const present = controllers.filter((c) => counts.has(c)).map((c) => ({ controller: c, count: counts.get(c) as number }));
  if (present.length === 0) return { status: 'unknown', cause: 'NoData', message: `none of ${controllers.join(', ')} is listed in ${path}` };
  const worst = Math.max(...present.map((p) => p.count));
  const figures = present.map((p) => `${p.controller} ${p.count}`).join(', ');
  return {
    status: isOverCount(worst, limits) ? 'problem' : 'ok',
    message: `cgroups: ${figures} (max ${limits.max})`,
    ratio: worst / limits.max,
  };
}

/** The `cgroups` probe: `max` (default 1000) cgroups of any of `controllers` (default memory, cpuacct). */
export const cgroupsProbe: ProbeDefinition<'cgroups'> = {
  name: 'cgroups',
  create(options, ctx, where) {
    const opts = readOptions('cgroups', options, ['max', 'controllers'], where);
    const max = opts.integer('max', 1000, 1);
    const controllers = opts.strings('controllers', ['memory', 'cpuacct']);
    return watermarkCheck(ctx, 'cgroups', { max }, (l) => probeCgroups(ctx.procRoot, controllers, l));
  },
};
