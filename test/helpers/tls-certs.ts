/**
 * A throwaway PKI for the test apiserver, made with the `openssl` CLI in a temp dir: a CA, a server
 * certificate for 127.0.0.1/localhost and a client certificate (for client-cert auth tests).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Paths and PEM text of the generated material. */
export interface TestCertificates {
  readonly dir: string;
  readonly caFile: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

async function openssl(dir: string, ...args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir });
}

/** Generates a CA, a server certificate (SAN 127.0.0.1, localhost) and a client certificate. */
export async function createTestCertificates(dir?: string): Promise<TestCertificates> {
  const d = dir ?? (await mkdtemp(join(tmpdir(), 'npd-tls-')));
  await openssl(d, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=npd-test-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  await writeFile(join(d, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  await writeFile(join(d, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, cn] of [['server', 'kube-apiserver'], ['client', 'system:serviceaccount:kube-system:npd']] as const) {
    await openssl(d, 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    await openssl(d, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
  }
  const read = (f: string): Promise<string> => readFile(join(d, f), 'utf8');
  return {
    dir: d,
    caFile: join(d, 'ca.crt'),
    ca: await read('ca.crt'),
    serverCert: await read('server.crt'),
    serverKey: await read('server.key'),
    clientCertFile: join(d, 'client.crt'),
    clientKeyFile: join(d, 'client.key'),
    clientCert: await read('client.crt'),
    clientKey: await read('client.key'),
  };
}
