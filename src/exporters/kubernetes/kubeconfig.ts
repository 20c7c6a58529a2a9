/**
 * The subset of a kubeconfig file the agent understands: the current context's cluster (server, CA,
 * insecure-skip-tls-verify) and user (client certificate and key, token, tokenFile). Parsing is pure
 * over the text; {@link readKubeconfig} reads the file. Exec and auth-provider plugins are refused
 * with a ConfigError: running them would need the 80 MiB client library (see bench/rss-client.ts).
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError, errorMessage } from '../../errors.js';

/** Where a PEM or token comes from: inline data or a file path (already made absolute). */
export type Material = { readonly data: string } | { readonly file: string };

/** What the current context of a kubeconfig says about connecting. */
export interface KubeconfigEntry {
  readonly server: string;
  readonly ca: Material | undefined;
  readonly cert: Material | undefined;
  readonly key: Material | undefined;
  readonly token: Material | undefined;
  readonly insecure: boolean;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function named(list: unknown, name: string, what: string, file: string): Obj {
  const items = Array.isArray(list) ? list : [];
  const found = items.find((i) => isObj(i) && i['name'] === name);
  if (!isObj(found) || !isObj(found[what])) throw new ConfigError(file, `${what}s`, `no ${what} named "${name}"`);
  return found[what] as Obj;
}

function material(o: Obj, dataKey: string, fileKey: string, base: string, decode: boolean): Material | undefined {
  const data = o[dataKey];
  if (typeof data === 'string' && data !== '') return { data: decode ? Buffer.from(data, 'base64').toString('utf8') : data };
  const file = o[fileKey];
  if (typeof file === 'string' && file !== '') return { file: isAbsolute(file) ? file : resolve(base, file) };
  return undefined;
}

/**
 * Parses kubeconfig text. Relative paths are resolved against `dir` (the file's directory), as
 * kubectl does. Throws ConfigError naming `file` and the field when something needed is missing.
 * js-yaml is loaded only here, on demand (it costs RSS for the agent's whole life otherwise).
 */
export async function parseKubeconfig(text: string, file: string, dir = dirname(file)): Promise<KubeconfigEntry> {
  let doc: unknown;
  try {
    const { load } = await import('js-yaml');
    doc = load(text);
  } catch (err) {
    throw new ConfigError(file, '', `not YAML: ${errorMessage(err)}`, { cause: err });
  }
  if (!isObj(doc)) throw new ConfigError(file, '', 'not a kubeconfig (expected a mapping)');
  const ctxName = doc['current-context'];
  if (typeof ctxName !== 'string' || ctxName === '') throw new ConfigError(file, 'current-context', 'missing');
  const ctx = named(doc['contexts'], ctxName, 'context', file);
  const clusterName = String(ctx['cluster'] ?? '');
  const cluster = named(doc['clusters'], clusterName, 'cluster', file);
  const userName = ctx['user'];
  const user = typeof userName === 'string' && userName !== '' ? named(doc['users'], userName, 'user', file) : {};
  if (user['exec'] !== undefined || user['auth-provider'] !== undefined) {
    throw new ConfigError(file, `users[${String(userName)}]`, 'exec and auth-provider credential plugins are not supported; use a token, tokenFile or client certificate');
  }
  const server = cluster['server'];
  if (typeof server !== 'string' || server === '') throw new ConfigError(file, `clusters[${clusterName}].server`, 'missing');
  const token = typeof user['token'] === 'string' && user['token'] !== ''
    ? { data: user['token'] as string }
    : material(user, '\0', 'tokenFile', dir, false);
  return {
    server: server.replace(/\/+$/, ''),
    ca: material(cluster, 'certificate-authority-data', 'certificate-authority', dir, true),
    cert: material(user, 'client-certificate-data', 'client-certificate', dir, true),
    key: material(user, 'client-key-data', 'client-key', dir, true),
    token,
    insecure: cluster['insecure-skip-tls-verify'] === true,
  };
}

/** Reads and parses a kubeconfig file. */
export async function readKubeconfig(file: string): Promise<KubeconfigEntry> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, '', `cannot read kubeconfig: ${errorMessage(err)}`, { cause: err });
  }
  return parseKubeconfig(text, file);
}
