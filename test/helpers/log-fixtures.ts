/** Reading the log fixtures under test/fixtures/sources (copied from ../shared/corpus). */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fixtures/sources. */
export const logFixtureDir = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/sources');

/** Absolute path of a fixture, e.g. `logFixturePath('kmsg', 'kmsg-raw-linux-doc-dev-kmsg.log')`. */
export function logFixturePath(...parts: string[]): string {
  return join(logFixtureDir, ...parts);
}

/** A fixture's lines, without the final empty line after the last newline. */
export function readLogFixtureLines(...parts: string[]): string[] {
  const text = readFileSync(logFixturePath(...parts), 'utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
