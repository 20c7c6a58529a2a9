/**
 * The subset of a kubeconfig file the agent understands: the current context's cluster (server, CA,
 * insecure-skip-tls-verify) and user (client certificate and key, token, tokenFile, exec credential
 * plugin). Parsing is pure over the text; {@link readKubeconfig} reads the file. The exec plugin is
 * run by exec-credential.ts, not by the 80 MiB client library (see bench/rss-client.ts);
 * auth-provider plugins are refused with a ConfigError (Kubernetes removed them in 1.26).
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError, errorMessage } from '../core/errors.js';

/** Where a PEM or token comes from: inline data or a file path (already made absolute). */
export type Material = { readonly data: string } | { readonly file: string };

/** The ExecCredential versions a plugin may speak (v1alpha1 was removed in Kubernetes 1.24). */
export const execApiVersions = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;

/** A user's `exec` credential plugin (client-go's ExecConfig), checked at load. */
export interface ExecConfig {
  /** Absolute, or a bare name looked up on PATH; a relative path is resolved against the kubeconfig's directory. */
  readonly command: string;
  readonly args: readonly string[];
  /** Added to the agent's environment when the plugin runs. */
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly apiVersion: (typeof execApiVersions)[number];
  /** Pass the cluster (server, CA, insecure) to the plugin in `KUBERNETES_EXEC_INFO`. */
  readonly provideClusterInfo: boolean;
  /** Shown when the command is not found. */
  readonly installHint: string | undefined;
  /** The kubeconfig file and field, for error messages (`users[u].exec`). */
  readonly file: string;
  readonly field: string;
}

/** What the current context of a kubeconfig says about connecting. */
export interface KubeconfigEntry {
  readonly server: string;
  readonly ca: Material | undefined;
  readonly cert: Material | undefined;
  readonly key: Material | undefined;
  readonly token: Material | undefined;
  readonly exec: ExecConfig | undefined;
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

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((a) => typeof a === 'string');

/**
 * Checks a user's `exec` section. `field` is its path (`users[u].exec`), `dir` the kubeconfig's
 * directory. We never run a plugin interactively (the agent has no terminal), so
 * `interactiveMode: Always` is refused here rather than failing at the first request.
 */
export function parseExecConfig(raw: unknown, file: string, field: string, dir: string): ExecConfig {
  const bad = (key: string, problem: string): ConfigError => new ConfigError(file, key === '' ? field : `${field}.${key}`, problem);
  if (!isObj(raw)) throw bad('', 'must be a mapping');
  const command = raw['command'];
  if (typeof command !== 'string' || command.trim() === '') throw bad('command', 'missing');
  const apiVersion = raw['apiVersion'];
  const version = execApiVersions.find((v) => v === apiVersion);
  if (version === undefined) throw bad('apiVersion', `must be ${execApiVersions.join(' or ')}, got ${JSON.stringify(apiVersion ?? null)}`);
  const args = raw['args'] ?? [];
  if (!isStrings(args)) throw bad('args', 'must be a list of strings');
  const envList = raw['env'] ?? [];
  if (!Array.isArray(envList)) throw bad('env', 'must be a list of {name, value}');
  const env = envList.map((e: unknown, i) => {
    if (!isObj(e) || typeof e['name'] !== 'string' || e['name'] === '' || typeof e['value'] !== 'string') {
      throw bad(`env[${i}]`, 'must have a name and a string value');
    }
    return { name: e['name'], value: e['value'] };
  });
  const mode = raw['interactiveMode'];
  if (mode !== undefined && mode !== 'Never' && mode !== 'IfAvailable' && mode !== 'Always') {
    throw bad('interactiveMode', `must be Never, IfAvailable or Always, got ${JSON.stringify(mode)}`);
  }
  if (mode === 'Always') throw bad('interactiveMode', 'Always needs a terminal and the agent never has one; use Never or IfAvailable');
  const hint = raw['installHint'];
  return {
    // client-go: a relative path with a separator is relative to the kubeconfig; a bare name uses PATH.
    command: command.includes('/') && !isAbsolute(command) ? resolve(dir, command) : command,
    args,
    env,
    apiVersion: version,
    provideClusterInfo: raw['provideClusterInfo'] === true,
    installHint: typeof hint === 'string' && hint.trim() !== '' ? hint.trim() : undefined,
    file,
    field,
  };
}

/** ` at line L, column C` of a js-yaml error, from its mark. */
export function yamlErrorWhere(err: unknown): string {
  const mark = (err as { mark?: { line?: unknown; column?: unknown } } | undefined)?.mark;
  if (typeof mark?.line !== 'number' || typeof mark.column !== 'number') return '';
  return ` at line ${mark.line + 1}, column ${mark.column + 1}`;
}

/** What js-yaml found wrong, without the input it quotes (aliases, tags and directives are input). */
export function yamlErrorReason(err: unknown): string {
  const reason = (err as { reason?: unknown } | undefined)?.reason;
  if (typeof reason !== 'string' || reason === '') return 'syntax error';
  return reason.replace(/"[^"]*"|'[^']*'|!<[^>]*>|!\S*/g, '…');
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
    // No cause and not js-yaml's message: both quote the lines around the error (a token, a key).
    throw new ConfigError(file, '', `not YAML${yamlErrorWhere(err)}: ${yamlErrorReason(err)}`);
  }
  if (!isObj(doc)) throw new ConfigError(file, '', 'not a kubeconfig (expected a mapping)');
  const ctxName = doc['current-context'];
  if (typeof ctxName !== 'string' || ctxName === '') throw new ConfigError(file, 'current-context', 'missing');
  const ctx = named(doc['contexts'], ctxName, 'context', file);
  const clusterName = String(ctx['cluster'] ?? '');
  const cluster = named(doc['clusters'], clusterName, 'cluster', file);
  const userName = ctx['user'];
  const user = typeof userName === 'string' && userName !== '' ? named(doc['users'], userName, 'user', file) : {};
  if (user['auth-provider'] !== undefined) {
    throw new ConfigError(file, `users[${String(userName)}].auth-provider`,
      'auth-provider plugins were removed from Kubernetes in 1.26; use an exec plugin, a token, tokenFile or client certificate');
  }
  const server = cluster['server'];
  if (typeof server !== 'string' || server === '') throw new ConfigError(file, `clusters[${clusterName}].server`, 'missing');
  return {
    server: server.replace(/\/+$/, ''),
    ca: material(cluster, 'certificate-authority-data', 'certificate-authority', dir, true),
    cert: material(user, 'client-certificate-data', 'client-certificate', dir, true),
    key: material(user, 'client-key-data', 'client-key', dir, true),
    token: material(user, 'token', 'tokenFile', dir, false),
    exec: user['exec'] === undefined ? undefined : parseExecConfig(user['exec'], file, `users[${String(userName)}].exec`, dir),
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
