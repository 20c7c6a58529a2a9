/**
 * Which monitor files a command runs: the `--config.*` files as NPD, plus a profile's (the
 * `default` profile when no flag names a file). Asked again on every reload: a profile edit can
 * change the list.
 */
import { resolve } from 'node:path';
import { readProfile } from '../config/load-profile.js';
import type { CommonSettings } from './settings.js';

/** The monitor files, absolute and without duplicates, and the profile files that named them. */
export interface MonitorFiles {
  readonly monitors: readonly string[];
  readonly profiles: readonly string[];
}

/** Resolves `explicit` files (relative to the working directory) and the profile's. */
export async function resolveMonitorFiles(settings: CommonSettings, explicit: readonly string[]): Promise<MonitorFiles> {
  const named = explicit.map((f) => resolve(f));
  const profileName = settings.profile ?? (named.length === 0 ? 'default' : undefined);
  const profile = profileName ? await readProfile(profileName, { configDir: settings.configDir, monitorsDir: settings.monitorsDir }) : undefined;
  return { monitors: [...new Set([...(profile?.monitorFiles ?? []), ...named])], profiles: profile?.profileFiles ?? [] };
}
