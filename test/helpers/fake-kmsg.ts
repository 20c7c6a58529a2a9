/** A fake /dev/kmsg for the kmsg source's tests: one record per read, EAGAIN when empty, scripted errors. */
import type { KmsgHandle } from '../../src/sources/kmsg.js';

/** A kmsg record `6,seq,usec,-;msg` (usec = seq ms). */
export const rec = (seq: number, msg: string): string => `6,${seq},${seq * 1000},-;${msg}\n`;
/** An error with an errno code, as `readSync` throws it. */
export const errno = (code: string): Error => Object.assign(new Error(code), { code });

/** The fake device; `script[i]` is what the i-th open finds in the ring. */
export interface FakeKmsgDevice {
  open(path: string): Promise<KmsgHandle>;
  opens(): number;
  closed(): number;
  /** A record (or a read error) arrives; a reader waiting for readability gets it at once. */
  push(r: string | Error): void;
  /** Reads made so far (EAGAIN included), and waits for readability begun. */
  reads(): number;
  waits(): number;
}

/**
 * Creates the fake. `pollable`: its handles can be waited on (`readable`), as the real device is
 * on epoll; else the source polls them on its clock.
 */
export function fakeKmsgDevice(script: (string | Error)[][], pollable = false): FakeKmsgDevice {
  let [opened, closed, reads, waits] = [0, 0, 0, 0];
  let queue: (string | Error)[] = [];
  let waiter: ((r: string | Error) => void) | undefined;
  return {
    opens: () => opened,
    closed: () => closed,
    reads: () => reads,
    waits: () => waits,
    push(r) {
      const w = waiter;
      waiter = undefined;
      if (w) w(r);
      else queue.push(r);
    },
    open: async () => {
      queue = [...(script[opened] ?? [])];
      opened++;
      const handle: KmsgHandle = {
        stat: async () => ({ isCharacterDevice: () => true }),
        close: async () => void closed++,
        read: (buf: Buffer) => {
          reads++;
          const next = queue.shift();
          if (next === undefined) throw errno('EAGAIN');
          if (next instanceof Error) throw next;
          return buf.write(next);
        },
      };
      if (!pollable) return handle;
      const readable = (signal: AbortSignal): Promise<Buffer> => {
        waits++;
        return new Promise<Buffer>((resolve, reject) => {
          const take = (r: string | Error): void => (r instanceof Error ? reject(r) : resolve(Buffer.from(r)));
          const next = queue.shift();
          if (next !== undefined) return take(next);
          waiter = take;
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
      };
      return { ...handle, readable };
    },
  };
}
