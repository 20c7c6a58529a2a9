/**
 * Profiles: which monitor files a node runs. A profile is a small JSON file in the config dir:
 *
 * ```json
 * { "description": "…", "extends": "default", "monitors": ["public-network-monitor.json"] }
 * ```
 *
 * `monitors` are paths relative to the monitors dir (absolute paths are kept); `extends` names
 * another profile whose monitors come first. A file listed twice runs once (NPD's habit).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { ConfigError, errorMessage } from '../core/errors.js';
import { parseJson } from './parse-json.js';

/** Where profiles and monitor files live. */
export interface ProfileOptions {
  /** Directory of `<name>.json` profiles. */
  readonly configDir: string;
  /** Directory that relative monitor paths are resolved against. */
  readonly monitorsDir: string;
}

/** A resolved profile. */
export interface Profile {
  readonly name: string;
  /** Absolute paths, parents' first, without duplicates. */
  readonly monitorFiles: string[];
  /** The profile files read (the profile and those it extends), for watching. */
  readonly profileFiles: string[];
}

const profileKeys = ['description', 'extends', 'monitors'];

function isPath(nameOrPath: string): boolean {
  return nameOrPath.includes('/') || nameOrPath.endsWith('.json');
}

async function knownProfiles(configDir: string): Promise<string[]> {
  try {
    const names = await readdir(configDir);
    return names.filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json')).map((n) => n.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

async function load(nameOrPath: string, options: ProfileOptions, chain: readonly string[], read: string[]): Promise<string[]> {
  const file = isPath(nameOrPath) ? resolve(nameOrPath) : join(options.configDir, `${nameOrPath}.json`);
  if (chain.includes(file)) throw new ConfigError(file, 'extends', `profiles extend each other in a loop: ${[...chain, file].map((f) => basename(f, '.json')).join(' → ')}`);
  let text: string;
  read.push(file);
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (!isPath(nameOrPath) && (err as NodeJS.ErrnoException).code === 'ENOENT') {
      const known = await knownProfiles(options.configDir);
      throw new ConfigError(nameOrPath, '', `unknown profile ${JSON.stringify(nameOrPath)}; known: ${known.join(', ') || 'none'} (in ${options.configDir})`);
    }
    throw new ConfigError(file, '', `cannot read profile: ${errorMessage(err)}`, { cause: err });
  }
  const doc = parseJson(text, file);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ConfigError(file, '', 'a profile must be a JSON object');
  const obj = doc as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!profileKeys.includes(key)) throw new ConfigError(file, key, `unknown field; known: ${profileKeys.join(', ')}`);
  }
  if (obj.description !== undefined && typeof obj.description !== 'string') throw new ConfigError(file, 'description', 'must be a string');
  const parent = obj.extends;
  if (parent !== undefined && (typeof parent !== 'string' || parent === '')) throw new ConfigError(file, 'extends', `must be a profile name, got ${JSON.stringify(parent)}`);
  const monitors = obj.monitors ?? [];
  if (!Array.isArray(monitors)) throw new ConfigError(file, 'monitors', 'must be a list of monitor file names');
  if (monitors.length === 0 && parent === undefined) throw new ConfigError(file, 'monitors', 'a profile without "extends" must list at least one monitor');
  const own: string[] = [];
  for (const [i, m] of monitors.entries()) {
    if (typeof m !== 'string' || m === '') throw new ConfigError(file, `monitors[${i}]`, `must be a file name, got ${JSON.stringify(m)}`);
    const path = isAbsolute(m) ? m : resolve(options.monitorsDir, m);
    try {
      if (!(await stat(path)).isFile()) throw new Error('not a file');
    } catch {
      throw new ConfigError(file, `monitors[${i}]`, `no such monitor file: ${path}`);
    }
    own.push(path);
  }
  const inherited = parent === undefined ? [] : await load(parent, options, [...chain, file], read);
  return [...inherited, ...own];
}

/**
 * Reads a profile by name (`default` → `<configDir>/default.json`) or by path (anything with a `/`
 * or ending in `.json`), following `extends`. Throws ConfigError for an unknown profile or a bad file.
 * @example await readProfile('alibaba-cloud', { configDir: 'config', monitorsDir: 'monitors' })
 */
export async function readProfile(nameOrPath: string, options: ProfileOptions): Promise<Profile> {
  const read: string[] = [];
  const files = await load(nameOrPath, options, [], read);
  return { name: isPath(nameOrPath) ? basename(nameOrPath, '.json') : nameOrPath, monitorFiles: [...new Set(files)], profileFiles: read };
}
