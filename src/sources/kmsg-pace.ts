/**
 * How long the kmsg reader may wait before draining again in a flood. Waking on every record
 * (epoll, a read, a batch through the hub and the monitors) costs more than the records do when a
 * writer logs every few ms; waiting lets one drain take all that came meanwhile. But the kernel's
 * ring (`log_buf_len`, 128 KiB by default) overwrites the oldest records when it is full, so the
 * wait is bounded by the ring: the next drain comes before the ring could be a quarter full again
 * at the rate the last drain saw (what came since the drain before, over that time), which leaves
 * 4× headroom for a faster burst, a GC pause or a slow batch. The first wait after the reader was
 * woken from epoll (the rate before is unknown: it was quiet) is at most a fifth of `coalesceMs`, and
 * a drain that finds nothing ends the flood. Records overwritten anyway are still counted from the
 * sequence gap (kmsg.ts); after a gap the next drain is not delayed and the ring is taken to be
 * half the size it was thought to be.
 *
 * Sizes are in characters of the records as read (`PRI,SEQ,USEC,FLAGS;text` and dictionary lines):
 * at least what the kernel stores for them (8–16 bytes of header plus the text, 8-aligned), so the
 * default ring, counted this way, holds no more records than the real one.
 */

/** The kernel's default ring (CONFIG_LOG_BUF_SHIFT=17), assumed while the device's has not wrapped. */
export const DEFAULT_RING_CHARS = 128 * 1024;
/** The share of the ring that may fill while the reader waits. */
export const RING_SHARE = 0.25;
/** Characters read by one drain that make it a flood (30–60 kernel records). */
const FLOOD_CHARS = 4096;
/** The smallest ring assumed after gaps. */
const MIN_RING_CHARS = 4096;
/** The largest ring the kernel allows (CONFIG_LOG_BUF_SHIFT=25, 32 MiB). */
const MAX_RING_CHARS = 32 * 1024 * 1024;

/** Paces the drains of one kmsg reader (see the module comment). */
export interface KmsgPacer {
  /**
   * A new handle. On the device (`device`) its first drain, from the oldest record in the ring,
   * measures the ring: once it has wrapped (the oldest record's sequence number is above 0) the ring
   * is full, and holds what that drain read. A FIFO or a file stands in for a device whose ring is
   * the default.
   */
  opened(device: boolean): void;
  /** A record of `chars` characters was read (`seq`: its sequence number, if it parsed). */
  read(chars: number, seq: number | undefined): void;
  /** Records were lost (a sequence gap). */
  lost(): void;
  /** A drain found nothing more at `nowMs`: ms to wait before the next drain (0: wait for the device). */
  idle(nowMs: number): number;
  /** The ring assumed, in characters. */
  ringChars(): number;
}

/**
 * Creates a pacer that waits at most `coalesceMs` (0: never waits); `measured` hears each ring the
 * device's first drain measured (`wrapped`: false when the ring was not full, so the default stood).
 * @example const pace = createKmsgPacer(100); pace.opened(true); … const waitMs = pace.idle(clock.now());
 */
export function createKmsgPacer(coalesceMs: number, measured?: (ringChars: number, wrapped: boolean) => void): KmsgPacer {
  let ring = DEFAULT_RING_CHARS;
  let device = false;
  /** The first drain of a handle: it reads the ring's backlog, not the current rate. */
  let measuring = false;
  let firstSeq: number | undefined;
  let chars = 0;
  let lastIdle = -Infinity;
  let afterGap = false;
  /** Whether the drain now ending followed a paced wait (else an epoll wait, a poll or an open). */
  let paced = false;
  return {
    opened(isDevice) {
      device = isDevice;
      measuring = true;
      firstSeq = undefined;
      chars = 0;
    },
    read(n, seq) {
      chars += n;
      if (measuring && firstSeq === undefined && seq !== undefined) firstSeq = seq;
    },
    lost() {
      afterGap = true;
      ring = Math.max(MIN_RING_CHARS, ring / 2);
    },
    idle(nowMs) {
      const found = chars;
      const gap = nowMs - lastIdle;
      chars = 0;
      lastIdle = nowMs;
      const wait = delay(found, gap);
      paced = wait > 0;
      return wait;
    },
    ringChars: () => ring,
  };

  function delay(found: number, gap: number): number {
    if (measuring) {
      measuring = false;
      if (device) {
        const wrapped = firstSeq !== undefined && firstSeq > 0;
        ring = Math.min(MAX_RING_CHARS, wrapped ? Math.max(MIN_RING_CHARS, found) : Math.max(DEFAULT_RING_CHARS, found));
        measured?.(ring, wrapped);
      }
      return 0;
    }
    if (afterGap) {
      afterGap = false;
      return 0;
    }
    if (found === 0 || coalesceMs <= 0) return 0;
    if (found < FLOOD_CHARS && gap >= coalesceMs / 5) return 0; // a record now and then: read each at once
    const bound = (RING_SHARE * ring * Math.max(gap, 1)) / found;
    return Math.floor(Math.min(paced ? coalesceMs : coalesceMs / 5, bound));
  }
}
