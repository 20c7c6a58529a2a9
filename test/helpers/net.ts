/** Loopback helpers for tests: a free port on 127.0.0.1, and one another listener holds. */
import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
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
