/**
 * `--help` of each command, word for word: test/fixtures/help/<command>.txt is the text an operator
 * reads (review a change to it like any user-facing text). Whitespace is compared loosely: commander
 * wraps to the terminal's width.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine } from '../../src/app/command-line.js';
import { repoRoot } from '../helpers/cli.js';

const words = (text: string): string => text.replace(/\s+/g, ' ').trim();

test.each(['npd', 'run', 'check', 'replay', 'validate'])('npd %s --help', (command) => {
  const inv = parseCommandLine(command === 'npd' ? ['--help'] : [command, '--help'], { root: '/pkg', version: '9.8.7' });
  expect(inv.command).toBe('info');
  const expected = readFileSync(join(repoRoot, 'test/fixtures/help', `${command}.txt`), 'utf8');
  expect(words(inv.command === 'info' ? inv.output : '')).toBe(words(expected));
});
