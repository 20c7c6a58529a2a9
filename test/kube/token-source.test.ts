/**
 * Token sources: a fixed token, and a token file read again after `maxAgeMs` or a 401 that keeps the
 * token it has while kubelet swaps the file, on a manual clock.
 */
import { rm, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import { fileToken, staticToken, tokenFileMaxAgeMs } from '../../src/kube/token-source.js';

let file: string;
beforeEach(async () => {
  file = join(await mkdtemp(join(tmpdir(), 'npd-token-')), 'token');
});

test('a fixed token, or none, whatever happens', async () => {
  const t = staticToken('abc');
  t.invalidate();
  expect(await t.token()).toBe('abc');
  expect(await staticToken(undefined).token()).toBeUndefined();
});

test('the file is read at the first call, trimmed, then trusted for 60 s or until a 401', async () => {
  expect(tokenFileMaxAgeMs).toBe(60_000);
  await writeFile(file, ' one \n');
  const clock = createManualClock();
  const t = fileToken(file, clock);
  expect(await t.token()).toBe('one');
  await writeFile(file, 'two');
  await clock.advance(59_999);
  expect(await t.token()).toBe('one');
  await clock.advance(1);
  expect(await t.token()).toBe('two');
  await writeFile(file, 'three');
  t.invalidate(); // a 401: read again at once
  expect(await t.token()).toBe('three');
});

test('a file missing at the first read is a ConfigError naming it, with the cause', async () => {
  const err = await fileToken(file, createManualClock()).token().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  expect(err).toMatchObject({ file, field: '' });
  expect((err as ConfigError).problem).toMatch(/^cannot read token: .*ENOENT/);
  expect((err as ConfigError).cause).toMatchObject({ code: 'ENOENT' });
});

test('a file missing for a moment later keeps the token read before, and is read again at the next call', async () => {
  await writeFile(file, 'one');
  const clock = createManualClock();
  const t = fileToken(file, clock, 1000);
  expect(await t.token()).toBe('one');
  await rm(file);
  await clock.advance(1000);
  expect(await t.token()).toBe('one');
  await writeFile(file, 'two');
  expect(await t.token()).toBe('two');
});
