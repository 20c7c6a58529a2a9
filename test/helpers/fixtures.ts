/**
 * Where the test fixtures are: the log corpus (test/fixtures/corpus, a copy of the shared corpus of
 * real kernel and runtime log lines; its README says where each file comes from and what it should
 * trigger), the /proc trees (test/fixtures/proc/<case>, the host's layout) and plugin scripts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fixtures/corpus. */
export const corpusDir = fileURLToPath(new URL('../fixtures/corpus', import.meta.url));

/** Absolute path of a corpus file, e.g. `corpusPath('kmsg', 'kmsg-raw-linux-doc-dev-kmsg.log')`. */
export function corpusPath(...parts: string[]): string {
  return join(corpusDir, ...parts);
}

/** A corpus file's lines, without the final empty line after the last newline. */
export function readCorpusLines(...parts: string[]): string[] {
  const lines = readFileSync(corpusPath(...parts), 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The fixture /proc tree of `name` (test/fixtures/proc/<name>). */
export function procFixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/proc/${name}`, import.meta.url));
}

/** A plugin script from test/fixtures/plugins. */
export function pluginFixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/plugins/${name}`, import.meta.url));
}
