/**
 * Profiles beyond the happy path: a name or a path, the files read for watching, absolute monitor
 * paths, and the exact ConfigError for each field a profile can get wrong. Temp dirs only.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readProfile, type ProfileOptions } from '../../src/config/load-profile.js';
import { ConfigError } from '../../src/core/errors.js';

let dir: string;
let opts: ProfileOptions;
const profile = (name: string, doc: unknown) => writeFile(join(opts.configDir, name), typeof doc === 'string' ? doc : JSON.stringify(doc));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npd-profile-err-'));
  opts = { configDir: join(dir, 'config'), monitorsDir: join(dir, 'monitors') };
  await mkdir(opts.configDir);
  await mkdir(opts.monitorsDir);
  for (const m of ['a.json', 'b.json']) await writeFile(join(opts.monitorsDir, m), '{}');
});

const fails = async (nameOrPath: string, options = opts): Promise<ConfigError> => {
  const err = await readProfile(nameOrPath, options).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
};

test('the profile and every parent it extends are listed for watching, child first; an absolute monitor path is kept', async () => {
  await writeFile(join(dir, 'elsewhere.json'), '{}');
  await profile('base.json', { description: 'the base', monitors: ['a.json', join(dir, 'elsewhere.json')] });
  await profile('child.json', { extends: 'base' });
  const p = await readProfile('child', opts);
  expect(p).toEqual({
    name: 'child',
    monitorFiles: [join(opts.monitorsDir, 'a.json'), join(dir, 'elsewhere.json')],
    profileFiles: [join(opts.configDir, 'child.json'), join(opts.configDir, 'base.json')],
  });
});

test('a path (with a slash or ending in .json) is read as a file and named by its base name', async () => {
  await profile('mine.json', { monitors: ['b.json'] });
  expect((await readProfile(`${opts.configDir}/mine.json`, opts)).name).toBe('mine');
  const rel = await fails('no-such-profile.json');
  expect(rel).toMatchObject({ file: resolve('no-such-profile.json'), field: '' });
  expect(rel.problem).toMatch(/^cannot read profile: .*ENOENT/);
  const slash = await fails(join(dir, 'nope'));
  expect(slash.file).toBe(join(dir, 'nope'));
  expect(slash.problem).toMatch(/^cannot read profile: /);
});

test('an unknown name lists the known profiles, sorted, without schemas or other files', async () => {
  await profile('zeta.json', { monitors: ['a.json'] });
  await profile('alpha.json', { monitors: ['a.json'] });
  await profile('monitor.schema.json', {});
  await profile('notes.txt', 'x');
  const err = await fails('beta');
  expect(err).toMatchObject({ file: 'beta', field: '', problem: `unknown profile "beta"; known: alpha, zeta (in ${opts.configDir})` });
});

test('an unknown name with no config dir: known none', async () => {
  const err = await fails('beta', { ...opts, configDir: join(dir, 'missing') });
  expect(err.problem).toBe(`unknown profile "beta"; known: none (in ${join(dir, 'missing')})`);
});

test('a profile name that is a directory cannot be read', async () => {
  await mkdir(join(opts.configDir, 'sub.json'));
  const err = await fails('sub');
  expect(err).toMatchObject({ file: join(opts.configDir, 'sub.json'), field: '' });
  expect(err.problem).toMatch(/^cannot read profile: .*EISDIR/);
  expect(err.cause).toMatchObject({ code: 'EISDIR' });
});

test('a loop through three profiles names each', async () => {
  await profile('p1.json', { extends: 'p2', monitors: ['a.json'] });
  await profile('p2.json', { extends: 'p3', monitors: ['a.json'] });
  await profile('p3.json', { extends: 'p1', monitors: ['a.json'] });
  expect(await fails('p1')).toMatchObject({ file: join(opts.configDir, 'p1.json'), field: 'extends', problem: 'profiles extend each other in a loop: p1 → p2 → p3 → p1' });
});

test.each<[string, unknown, string, string]>([
  ['a list', [], '', 'a profile must be a JSON object'],
  ['null', null, '', 'a profile must be a JSON object'],
  ['a number', 3, '', 'a profile must be a JSON object'],
  ['a description that is not a string', { description: 1, monitors: ['a.json'] }, 'description', 'must be a string'],
  ['an empty extends', { extends: '' }, 'extends', 'must be a profile name, got ""'],
  ['an extends that is a number', { extends: 2 }, 'extends', 'must be a profile name, got 2'],
  ['monitors that are not a list', { monitors: 'a.json' }, 'monitors', 'must be a list of monitor file names'],
  ['no monitors and no extends', {}, 'monitors', 'a profile without "extends" must list at least one monitor'],
  ['an empty monitor name', { monitors: ['a.json', ''] }, 'monitors[1]', 'must be a file name, got ""'],
  ['a monitor name that is a number', { monitors: [7] }, 'monitors[0]', 'must be a file name, got 7'],
])('%s', async (_name, doc, field, problem) => {
  await profile('bad.json', doc);
  expect(await fails('bad')).toMatchObject({ file: join(opts.configDir, 'bad.json'), field, problem });
});

test('a monitor entry that is a directory is no monitor file', async () => {
  await mkdir(join(opts.monitorsDir, 'dir.json'));
  await profile('bad.json', { monitors: ['dir.json'] });
  expect(await fails('bad')).toMatchObject({ field: 'monitors[0]', problem: `no such monitor file: ${join(opts.monitorsDir, 'dir.json')}` });
});
