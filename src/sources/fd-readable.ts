/**
 * Waiting for a non-blocking fd to become readable, on libuv's epoll, without a timer: zero
 * wake-ups while nothing arrives. Node has no public "poll this fd" call and `net.Socket({ fd })`
 * refuses a character device (libuv calls it a FILE), but a pipe handle accepts any pollable fd
 * (a character device such as /dev/kmsg, a FIFO). The handle reads with libuv: the first read
 * after the fd became readable is handed back with the wake-up and reading stops at once
 * (`onread` returning false is a synchronous `readStop`), so the caller drains the rest itself with
 * synchronous reads, in order. Measured on /dev/kmsg with the default profile: the idle agent's
 * event loop went from ~120 wake-ups/s (two readers polling every 50 ms plus a 10 ms timer) to
 * under 5 (bench/agent-footprint.ts).
 */
import { fstatSync } from 'node:fs';
import { nodeNet } from '../core/node-builtins.js';

/** A pipe handle's constructor, from Node's internal binding (public since Node 0.x, unchanged since 12). */
interface PipeBinding {
  readonly Pipe: new (type: number) => { open(fd: number): number };
  readonly constants: { readonly SOCKET: number };
}

/** Waits for data on one fd; owns the fd from then on (closing it closes the fd). */
export interface FdWaiter {
  /**
   * Resolves with the bytes of one read once the fd is readable (empty at end of file: a FIFO
   * whose writers all left); rejects with the read error (EPIPE: kmsg records overwritten) or
   * the signal's reason.
   */
  readable(signal: AbortSignal): Promise<Buffer>;
  close(): void;
}

/**
 * A waiter for `fd`, or undefined when it cannot be polled (a regular file or a directory: the
 * caller polls). libuv would take such an fd and then abort the process at the first read.
 */
export function createFdWaiter(fd: number, bufferBytes = 16 * 1024): FdWaiter | undefined {
  const st = fstatSync(fd);
  if (!st.isCharacterDevice() && !st.isFIFO() && !st.isSocket()) return undefined;
  let binding: PipeBinding;
  try {
    binding = (process as unknown as { binding(name: string): PipeBinding }).binding('pipe_wrap');
  } catch {
    return undefined;
  }
  const pipe = new binding.Pipe(binding.constants.SOCKET);
  if (pipe.open(fd) !== 0) return undefined;
  const buffer = Buffer.alloc(bufferBytes);
  let settle: ((r: { bytes: Buffer } | { error: unknown }) => void) | undefined;
  const { Socket } = nodeNet();
  const socket = new Socket({
    handle: pipe as never,
    readable: true,
    writable: false,
    pauseOnCreate: true,
    onread: {
      buffer,
      callback: (n: number, buf: Uint8Array) => {
        settle?.({ bytes: Buffer.from(buf.subarray(0, n)) });
        return false; // stop reading: the caller drains synchronously
      },
    },
  } as ConstructorParameters<typeof import('node:net').Socket>[0]);
  socket.on('error', (error) => settle?.({ error }));
  socket.on('end', () => settle?.({ bytes: Buffer.alloc(0) }));
  return {
    readable(signal) {
      return new Promise<Buffer>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        const onAbort = (): void => done({ error: signal.reason });
        const done = (r: { bytes: Buffer } | { error: unknown }): void => {
          settle = undefined;
          signal.removeEventListener('abort', onAbort);
          socket.pause();
          if ('bytes' in r) resolve(r.bytes);
          else reject(r.error);
        };
        settle = done;
        signal.addEventListener('abort', onAbort, { once: true });
        if (socket.destroyed) return done({ bytes: Buffer.alloc(0) });
        socket.resume();
      });
    },
    close: () => void socket.destroy(),
  };
}
