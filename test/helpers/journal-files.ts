/**
 * Builds real journal files for tests: export-format entries (systemd's JOURNAL_EXPORT_FORMATS)
 * piped into `systemd-journal-remote -o FILE -`, which appends to FILE. Read them with journalctl.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** systemd-journal-remote, where Debian puts it. */
export const journalRemote = ['/lib/systemd/systemd-journal-remote', '/usr/lib/systemd/systemd-journal-remote'].find((p) => existsSync(p)) ?? '/lib/systemd/systemd-journal-remote';

/** One entry to write. */
export interface ExportEntry {
  readonly message: string;
  /** ms since the epoch. */
  readonly timeMs: number;
  /** SYSLOG_IDENTIFIER. @default 'kernel' */
  readonly identifier?: string;
  readonly fields?: Readonly<Record<string, string>>;
}

const BOOT_ID = '6c7c6013a26343b29e964691ff25d04c';

/** The export-format text of `entries` (text fields only). */
export function toExportFormat(entries: readonly ExportEntry[]): string {
  return entries.map((e, i) => {
    const fields: Record<string, string> = {
      __REALTIME_TIMESTAMP: String(Math.round(e.timeMs * 1000)),
      __MONOTONIC_TIMESTAMP: String(1_000_000 + i),
      _BOOT_ID: BOOT_ID,
      _TRANSPORT: 'syslog',
      PRIORITY: '3',
      SYSLOG_IDENTIFIER: e.identifier ?? 'kernel',
      MESSAGE: e.message,
      ...e.fields,
    };
    return `${Object.entries(fields).map(([k, v]) => `${k}=${v}`).join('\n')}\n\n`;
  }).join('');
}

/** Appends `entries` to the journal file `file` (created if missing). */
export function appendJournal(file: string, entries: readonly ExportEntry[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(journalRemote, ['-o', file, '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => void (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`systemd-journal-remote exited ${code}: ${err}`))));
    p.stdin.end(toExportFormat(entries));
  });
}
