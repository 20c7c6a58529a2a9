/**
 * Reading a probe's input file. "Not present" is not a failure (node_exporter's ErrNoData): a
 * missing file gives an `unknown` result with cause `NoData`, which the caller logs at debug.
 */
import { readFile } from 'node:fs/promises';
import type { ProbeResult } from './probe.js';

/** The text of a file, or the `unknown` result explaining why it could not be read. */
export type ProbeFileText = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly result: ProbeResult };

/** The cause of an unknown result for a failed read: `NoData` for ENOENT, else the errno code. */
export function readErrorCause(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'NoData';
  if (code === 'EACCES' || code === 'EPERM') return 'PermissionDenied';
  return code ?? 'ReadError';
}

/** An `unknown` result saying what was being read and why it failed. */
export function unknownResult(what: string, cause: string, detail: string): ProbeResult {
  return { status: 'unknown', cause, message: `couldn't read ${what}: ${detail}` };
}

/** Reads `path` as text; failures come back as an `unknown` result, never thrown. */
export async function readProbeFile(path: string): Promise<ProbeFileText> {
  try {
    return { ok: true, text: await readFile(path, 'utf8') };
  } catch (err) {
    const cause = readErrorCause(err);
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    return { ok: false, result: unknownResult(path, cause, code) };
  }
}

/** Parses a non-negative integer file (`pid_max`, `nf_conntrack_max`); undefined for garbage. */
export function parseCount(text: string): number | undefined {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : undefined;
}
