/** Waiting for a FIFO (a pollable fd, as /dev/kmsg is) to become readable, without a timer. */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFdWaiter, type FdWaiter } from '../../src/sources/fd-readable.js';

let dir: string;
let waiter: FdWaiter | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'npd-fd-'));
});
afterEach(() => {
  waiter?.close();
  waiter = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A FIFO opened for reading (non-blocking) and for writing. */
function fifo(): { readFd: number; writeFd: number } {
  const path = join(dir, 'fifo');
  execFileSync('mkfifo', [path]);
  const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeFd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  return { readFd, writeFd };
}

test('resolves with the bytes written once the fd is readable, one read at a time, up to the buffer size', async () => {
  const { readFd, writeFd } = fifo();
  waiter = createFdWaiter(readFd, 8);
  const ac = new AbortController();
  const first = waiter?.readable(ac.signal);
  writeSync(writeFd, 'hello world\n');
  expect((await first)?.toString()).toBe('hello wo');
  writeSync(writeFd, 'again');
  const more: string[] = [];
  while (more.join('') !== 'rld\nagain') more.push(((await waiter?.readable(ac.signal)) as Buffer).toString());
  expect(more.join('')).toBe('rld\nagain');
  closeSync(writeFd);
});

test('resolves empty when every writer left (end of file), and at once after that', async () => {
  const { readFd, writeFd } = fifo();
  waiter = createFdWaiter(readFd);
  const ac = new AbortController();
  const pending = waiter?.readable(ac.signal);
  closeSync(writeFd);
  expect((await pending)?.length).toBe(0);
  expect((await waiter?.readable(ac.signal))?.length).toBe(0);
});

test('rejects with the signal\'s reason when aborted while waiting or before, and can wait again after', async () => {
  const { readFd, writeFd } = fifo();
  waiter = createFdWaiter(readFd);
  const ac = new AbortController();
  const pending = waiter?.readable(ac.signal);
  ac.abort(new Error('stopped'));
  await expect(pending).rejects.toThrow('stopped');
  await expect(waiter?.readable(ac.signal)).rejects.toThrow('stopped');
  const again = waiter?.readable(new AbortController().signal);
  writeSync(writeFd, 'x');
  expect((await again)?.toString()).toBe('x');
  closeSync(writeFd);
});

test('a regular file cannot be polled: no waiter (the caller polls it)', () => {
  const path = join(dir, 'file');
  writeFileSync(path, 'x');
  const fd = openSync(path, 'r');
  try {
    expect(createFdWaiter(fd)).toBeUndefined();
  } finally {
    closeSync(fd);
  }
});
