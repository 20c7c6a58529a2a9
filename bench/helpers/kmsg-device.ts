/**
 * Writing the flood into this machine's real /dev/kmsg (`--floods=device`, never by default): one
 * write(2) per record, as printk makes one record per message, so the agent reads the device one
 * record per read as it does on a node. `kernel.printk_devkmsg=ratelimit` (the default) lets each
 * open file write 10 records per 5 s and drops the rest, so the writer opens the device again after
 * every 10 writes; the sysctl is left as it is. The records go into the kernel's ring like any
 * other: the flood runs only while no other process has /dev/kmsg open, and ends with benign
 * records enough to push its problem lines out of the ring, so a kernel monitor started later does
 * not report them.
 */
import { closeSync, openSync, readdirSync, readlinkSync, writeSync } from 'node:fs';
import { benignMessages } from './kern-log-lines.js';
import { floodMessage } from './footprint-inputs.js';

/** Records an open /dev/kmsg may write per 5 s under `printk_devkmsg=ratelimit`. */
const PER_OPEN = 10;

/** Other processes with /dev/kmsg open (pid and command), which a flood of the real device would reach. */
export function kmsgReaders(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    try {
      if (readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`) === '/dev/kmsg')) found.push(pid);
    } catch {
      // gone, or not ours to look at
    }
  }
  return found;
}

/** A writer of flood records into /dev/kmsg (throws when the device cannot be opened for writing). */
export function kmsgDeviceWriter(): { write(from: number, count: number): void; flushRing(records: number): void; close(): void } {
  let fd = openSync('/dev/kmsg', 'w');
  let writes = 0;
  const put = (message: string): void => {
    if (writes === PER_OPEN) {
      closeSync(fd);
      fd = openSync('/dev/kmsg', 'w');
      writes = 0;
    }
    writeSync(fd, `<6>${message}\n`);
    writes++;
  };
  return {
    write(from, count) {
      for (let i = from; i < from + count; i++) put(floodMessage(i));
    },
    flushRing(records) {
      for (let i = 0; i < records; i++) put(benignMessages[i % benignMessages.length] as string);
    },
    close: () => closeSync(fd),
  };
}
