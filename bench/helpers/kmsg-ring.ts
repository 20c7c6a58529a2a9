/**
 * Reading this machine's /dev/kmsg ring from its oldest record to EAGAIN, one record per read,
 * O_NONBLOCK, as the kmsg source does: the benches' measure of what a read of the device costs.
 * Only reads the device (nothing is ever written to it).
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Reads the ring once with `readOne` (bytes read; synchronous reads are not awaited); returns the
 * records read and the wall time. Rejects when /dev/kmsg cannot be opened.
 */
export async function drainKmsgRing(readOne: (fh: FileHandle, buf: Buffer) => number | Promise<number>): Promise<{ records: number; seconds: number }> {
  const buf = Buffer.alloc(16 * 1024);
  const fh = await open('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK);
  let records = 0;
  const t0 = performance.now();
  try {
    for (;;) {
      try {
        const r = readOne(fh, buf);
        if ((typeof r === 'number' ? r : await r) === 0) break;
        records++;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') continue; // records overwritten meanwhile: the next read returns the oldest left
        if (code === 'EAGAIN') break;
        throw err;
      }
    }
    return { records, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await fh.close();
  }
}
