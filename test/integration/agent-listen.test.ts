/**
 * `npd run` listens before anything else (src/app/run.ts): a port in use or an address not on this
 * host is a ConfigError naming the flag (exit 2), raised before any monitor file is read. In-process
 * through the agent harness; test/app/cli.test.ts checks the exit status of the built CLI.
 */
import { createServer, type Server } from 'node:net';
import { ConfigError, errorMessage } from '../../src/core/errors.js';
import { startAgent } from '../helpers/agent-harness.js';
import { freePort } from '../helpers/net.js';

const missingMonitor = '--config.system-log-monitor=/nonexistent/monitor.json';
/** The line `npd run` would print for the error starting the agent gives (`npd: …`), or `started`. */
async function failure(argv: string[]): Promise<string> {
  return startAgent(argv).then(
    async (agent) => {
      await agent.stop();
      return 'started';
    },
    (err: unknown) => `${err instanceof ConfigError ? 'ConfigError' : 'other'}: ${errorMessage(err)}`,
  );
}

async function occupy(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

test.each(['--port', '--prometheus-port'])('%s on a port in use: a ConfigError naming the flag, before the monitor files are read', async (flag) => {
  const { port, server } = await occupy();
  try {
    const other = flag === '--port' ? '--prometheus-port' : '--port';
    expect(await failure(['--standalone', missingMonitor, `${flag}=${port}`, `${other}=${await freePort()}`])).toBe(
      `ConfigError: command line: ${flag}: cannot listen on 127.0.0.1:${port}: the port is already in use (EADDRINUSE)`,
    );
  } finally {
    server.close();
  }
});

test.each<[string, string, string]>([
  ['--address', '192.0.2.1', '192.0.2.1'],
  ['--prometheus-address', '2001:db8::1', '[2001:db8::1]'],
])('%s=%s (not on this host): a ConfigError naming the flag and the address', async (flag, address, shown) => {
  const portFlag = flag === '--address' ? '--port' : '--prometheus-port';
  const port = await freePort();
  expect(await failure(['--standalone', missingMonitor, `${flag}=${address}`, `${portFlag}=${port}`])).toBe(
    `ConfigError: command line: ${portFlag}: cannot listen on ${shown}:${port}: the address is not on this host (EADDRNOTAVAIL)`,
  );
});
