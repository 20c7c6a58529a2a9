/** Loopback helpers for tests: a free port on 127.0.0.1, and one another listener holds. */
import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now, for a listener the test starts a little later.
 *
 * Not `listen(0)`: the kernel hands out such ports from the ephemeral range
 * (`ip_local_port_range`, 32768–60999 by default), the same range outgoing connections take their
 * local port from, so on a busy machine another test's client could hold the port by the time the
 * agent listens on it (seen: EADDRINUSE on an agent restarted on its own port). Ports here come from
 * below that range, a block of 2,000 for each jest worker, and a process never hands out one twice.
 */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < blockSize; tries++) {
    const port = blockStart + (nextOffset++ % blockSize);
    if (await canListen(port)) return port;
  }
  throw new Error(`freePort: no free port in ${blockStart}–${blockStart + blockSize - 1}`);
}
const blockSize = 2_000;
const worker = Number(process.env.JEST_WORKER_ID ?? 1);
const blockStart = 10_000 + ((worker - 1) % 11) * blockSize;
let nextOffset = Math.floor(Math.random() * blockSize);

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Runs `use` with a port on 127.0.0.1 that another listener holds, released afterwards. */
export async function withTakenPort(use: (port: number) => Promise<void>): Promise<void> {
  const holder = createServer();
  await new Promise<void>((resolve, reject) => {
    holder.once('error', reject);
    holder.listen(0, '127.0.0.1', resolve);
  });
  const addr = holder.address();
  try {
    await use(typeof addr === 'object' && addr ? addr.port : 0);
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
}
