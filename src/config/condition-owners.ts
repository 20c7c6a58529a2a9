/**
 * One condition type, one monitor file. Two monitor files declaring the same type would both write
 * it to the Node: one sets it True, the other's recovery or default writes False, and `/conditions`
 * and `problem_gauge` disagree with the Node. NPD lets this happen silently (the last writer wins);
 * we refuse it at load, naming both files, as `npd validate`, start-up and a reload all do.
 *
 * The shipped `kernel-monitor.json` (kmsg) and `kernel-monitor-filelog.json` (kern.log) are
 * alternatives for the same kernel log and share three types; a profile lists one of them.
 */
import { ConfigError } from '../core/errors.js';
import type { MonitorConfig } from './monitor-config.js';

/**
 * Throws a {@link ConfigError} on the first condition type declared by two of `configs`, naming the
 * later file's field and the earlier file. A file listed twice is one monitor, not two.
 */
export function checkConditionOwners(configs: readonly MonitorConfig[]): void {
  const owners = new Map<string, string>();
  for (const config of configs) {
    for (const [i, condition] of config.conditions.entries()) {
      const owner = owners.get(condition.type);
      if (owner !== undefined && owner !== config.file) {
        throw new ConfigError(config.file, `conditions[${i}].type`,
          `condition type ${JSON.stringify(condition.type)} is also declared by ${owner}; two monitor files writing one condition would overwrite each other on the Node (run one of them, or give one its own type)`);
      }
      owners.set(condition.type, config.file);
    }
  }
}
