/** A temporary log directory for the filelog file tests: files written (with a chosen mtime), opened and closed at cleanup, read back. */
import { closeSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHead } from '../../src/sources/filelog-files.js';
import { openRegularFile, type OpenedFile } from '../../src/sources/filelog-open.js';

/** A temporary directory of log files (see the file comment). */
export interface LogDir {
  readonly dir: string;
  /** Writes `name` with `text` (and an mtime of `mtimeS` seconds); returns its path. */
  write(name: string, text: string, mtimeS?: number): string;
  /** Opens `path` (closed at cleanup, if not closed before). */
  open(path: string): OpenedFile;
  /** Closes at cleanup files the code under test opened. */
  keep(...files: readonly (OpenedFile | undefined)[]): void;
  /** `name` created with a birth time later than `prev`'s (birth times are coarse: created again until so). */
  bornAfter(prev: OpenedFile, name: string, content: string): OpenedFile;
  /** Closes what is kept and removes the directory. */
  cleanup(): void;
}

/** Creates a {@link LogDir} under the system's temporary directory. */
export function createLogDir(prefix: string): LogDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const opened: OpenedFile[] = [];
  const write = (name: string, text: string, mtimeS?: number): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    if (mtimeS !== undefined) utimesSync(p, mtimeS, mtimeS);
    return p;
  };
  const keep = (...files: readonly (OpenedFile | undefined)[]): void => {
    for (const f of files) if (f) opened.push(f);
  };
  return {
    dir,
    write,
    keep,
    open(p) {
      const f = openRegularFile(p) as OpenedFile;
      opened.push(f);
      return f;
    },
    bornAfter(prev, name, content) {
      for (;;) {
        const f = openRegularFile(write(name, content)) as OpenedFile;
        if (f.birthMs > prev.birthMs) {
          opened.push(f);
          return f;
        }
        closeSync(f.fd);
        rmSync(join(dir, name));
      }
    },
    cleanup() {
      for (const f of opened.splice(0)) {
        try {
          closeSync(f.fd);
        } catch {
          // closed by the code under test
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The first bytes of `f` as text. */
export const headText = (f: OpenedFile | undefined): string | undefined => f && readHead(f.fd, 100).toString();
