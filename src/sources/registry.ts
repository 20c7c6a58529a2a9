/** Log sources by NPD's plugin name (a literal table, not registration side effects). */
import { ConfigError } from '../core/errors.js';
import { createFilelogSource } from './filelog.js';
import { createJournaldSource } from './journald.js';
import { createKmsgSource } from './kmsg.js';
import type { LogSource, SourceConfig, SourceDeps, SourceFactory } from './log-source.js';

/** NPD's watcher plugin names → factories. */
export const sourceRegistry = {
  kmsg: createKmsgSource,
  filelog: createFilelogSource,
  journald: createJournaldSource,
} satisfies Record<string, SourceFactory>;

/** A plugin name {@link sourceRegistry} knows. */
export type SourcePlugin = keyof typeof sourceRegistry;

/** Whether `name` is a known plugin. */
export function isSourcePlugin(name: string): name is SourcePlugin {
  return Object.hasOwn(sourceRegistry, name);
}

/**
 * Builds the source `config.plugin` names. Throws ConfigError (field `plugin`) for an unknown name,
 * and whatever ConfigError the factory throws for bad plugin settings.
 */
export function createSource(config: SourceConfig, deps: SourceDeps): LogSource {
  if (!isSourcePlugin(config.plugin)) {
    throw new ConfigError(config.file, 'plugin', `unknown plugin "${config.plugin}"; known: ${Object.keys(sourceRegistry).join(', ')}`);
  }
  const factory: SourceFactory = sourceRegistry[config.plugin];
  return factory(config, deps);
}
