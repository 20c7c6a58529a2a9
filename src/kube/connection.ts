/**
 * How the agent reaches the apiserver: NPD's `--apiserver-override` URI, a kubeconfig file, or the
 * in-cluster service account. The result is a {@link Connection}: a server URL, TLS material and a
 * bearer token source that re-reads a rotated token file (bound service-account tokens expire) or
 * runs a kubeconfig's exec credential plugin (exec-credential.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '../core/clock.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import { execToken } from './exec-credential.js';
import { fileToken, staticToken, type TokenSource } from './token-source.js';
import { readKubeconfig, type KubeconfigEntry, type Material } from './kubeconfig.js';

/** Everything needed to open connections to one apiserver. */
export interface Connection {
  /** `https://host:port` without a trailing slash. */
  readonly server: string;
  readonly ca: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
  /** Skip server certificate verification (NPD's `insecure=true`). */
  readonly insecure: boolean;
  readonly auth: TokenSource;
}

/** Flags that choose the connection, NPD's names. */
export interface ConnectionFlags {
  /** NPD's `--apiserver-override`, `https://host:port?inClusterConfig=false&auth=/path/kubeconfig&insecure=true`. */
  readonly apiserverOverride?: string | undefined;
  /** A kubeconfig file (`--kubeconfig`). */
  readonly kubeconfig?: string | undefined;
  /** Prefix of `/var/run/secrets/kubernetes.io/serviceaccount`, so tests can use a temp dir. @default '' */
  readonly inClusterPrefix?: string | undefined;
}

/** Where a pod finds its service account. */
export const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * NPD's node name precedence: `--hostname-override`, then env `NODE_NAME`, then the host name.
 * Kubernetes node names are lower case, so the host name is lower-cased as kubelet does.
 */
export function resolveNodeName(flag: string | undefined, env: string | undefined, hostname: string): string {
  if (flag !== undefined && flag.trim() !== '') return flag.trim();
  if (env !== undefined && env.trim() !== '') return env.trim();
  return hostname.trim().toLowerCase();
}

async function readMaterial(m: Material | undefined, what: string): Promise<string | undefined> {
  if (m === undefined) return undefined;
  if ('data' in m) return m.data;
  try {
    return await readFile(m.file, 'utf8');
  } catch (err) {
    throw new ConfigError(m.file, '', `cannot read ${what}: ${errorMessage(err)}`, { cause: err });
  }
}

async function fromKubeconfig(entry: KubeconfigEntry, clock: Clock, env: NodeJS.ProcessEnv): Promise<Connection> {
  const ca = await readMaterial(entry.ca, 'certificate-authority');
  const cert = await readMaterial(entry.cert, 'client-certificate');
  let auth: TokenSource;
  if (entry.token !== undefined) auth = 'data' in entry.token ? staticToken(entry.token.data) : fileToken(entry.token.file, clock);
  // client-go runs the plugin only when the user has no token and no client certificate.
  else if (entry.exec !== undefined && cert === undefined) auth = execToken(entry.exec, { cluster: { server: entry.server, ca, insecure: entry.insecure }, clock, env });
  else auth = staticToken(undefined);
  return {
    server: entry.server,
    ca,
    cert,
    key: await readMaterial(entry.key, 'client-key'),
    insecure: entry.insecure,
    auth,
  };
}

function bracket(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

async function inCluster(prefix: string, env: NodeJS.ProcessEnv, clock: Clock): Promise<Connection> {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  if (!host || !port) {
    throw new ConfigError('', 'KUBERNETES_SERVICE_HOST', 'not running in a cluster (KUBERNETES_SERVICE_HOST/PORT unset); pass --kubeconfig or --apiserver-override, or --standalone to run without a cluster');
  }
  const dir = join(prefix, serviceAccountDir);
  const tokenFile = join(dir, 'token');
  try {
    await stat(tokenFile);
  } catch (err) {
    throw new ConfigError(tokenFile, '', `no service account token: ${errorMessage(err)}`, { cause: err });
  }
  return {
    server: `https://${bracket(host)}:${port}`,
    ca: await readMaterial({ file: join(dir, 'ca.crt') }, 'service account CA'),
    cert: undefined,
    key: undefined,
    insecure: false,
    auth: fileToken(tokenFile, clock),
  };
}

/**
 * Chooses and loads the connection: `--apiserver-override` (NPD semantics: `inClusterConfig`
 * defaults to true; `auth` names a kubeconfig; `insecure=true` skips verification; the URI's host
 * replaces the server), else `--kubeconfig`, else the in-cluster service account, else `$KUBECONFIG`.
 * `env` is the agent's environment; a kubeconfig's exec plugin runs with it plus its own `env`.
 * Throws ConfigError when nothing usable is found.
 */
export async function loadConnection(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv = process.env,
  clock: Clock = systemClock,
): Promise<Connection> {
  const prefix = flags.inClusterPrefix ?? '';
  if (flags.apiserverOverride) {
    let uri: URL;
    try {
      uri = new URL(flags.apiserverOverride);
    } catch (err) {
      throw new ConfigError('command line', '--apiserver-override', 'not a URI', { cause: err });
    }
    if (uri.protocol !== 'https:' && uri.protocol !== 'http:') {
      throw new ConfigError('command line', '--apiserver-override', `scheme must be http or https, got ${uri.protocol}`);
    }
    const q = uri.searchParams;
    const server = `${uri.protocol}//${uri.host}`;
    const insecure = q.get('insecure') === 'true';
    let base: Connection;
    if (q.get('inClusterConfig') !== 'false') base = await inCluster(prefix, { ...env, KUBERNETES_SERVICE_HOST: 'override', KUBERNETES_SERVICE_PORT: '0' }, clock);
    else if (q.get('auth')) base = await fromKubeconfig(await readKubeconfig(q.get('auth') as string), clock, env);
    else if (q.get('useServiceAccount') === 'true') base = { ...(await inCluster(prefix, { ...env, KUBERNETES_SERVICE_HOST: 'override', KUBERNETES_SERVICE_PORT: '0' }, clock)), ca: undefined };
    else base = { server, ca: undefined, cert: undefined, key: undefined, insecure, auth: staticToken(undefined) };
    return { ...base, server, insecure: insecure || base.insecure };
  }
  if (flags.kubeconfig) return fromKubeconfig(await readKubeconfig(flags.kubeconfig), clock, env);
  if (env['KUBERNETES_SERVICE_HOST']) return inCluster(prefix, env, clock);
  const fromEnv = env['KUBECONFIG']?.split(':').find((f) => f !== '');
  if (fromEnv) return fromKubeconfig(await readKubeconfig(fromEnv), clock, env);
  throw new ConfigError('command line', '--kubeconfig', 'no apiserver: not in a cluster and neither --kubeconfig, --apiserver-override nor $KUBECONFIG is set; use --standalone to run without a cluster');
}
