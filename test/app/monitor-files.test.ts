/** Which monitor files a command runs (src/app/monitor-files.ts): the named files, a profile's, and the profile files to watch. */
import { join, resolve } from 'node:path';
import { resolveMonitorFiles } from '../../src/app/monitor-files.js';
import type { CommonSettings } from '../../src/app/settings.js';

const root = new URL('../../', import.meta.url).pathname;
const settings = (profile: string | undefined): CommonSettings => ({
  profile,
  monitorsDir: join(root, 'monitors'),
  configDir: join(root, 'config'),
  procPath: '/proc',
  logLevel: 'info',
});

test('named files alone: resolved against the working directory, no profile read, nothing to watch', async () => {
  expect(await resolveMonitorFiles(settings(undefined), ['a.json', 'a.json', '/m/b.json'])).toEqual({ monitors: [resolve('a.json'), '/m/b.json'], profiles: [] });
});

test('no file named: the default profile, whose file is watched', async () => {
  const files = await resolveMonitorFiles(settings(undefined), []);
  expect(files.profiles).toEqual([join(root, 'config/default.json')]);
  expect(files.monitors[0]).toBe(join(root, 'monitors/kernel-monitor.json'));
  expect(files.monitors).toHaveLength(9);
});

test('a profile and named files: the profile’s first, a file named twice once', async () => {
  const kernel = join(root, 'monitors/kernel-monitor.json');
  const files = await resolveMonitorFiles(settings('default'), [kernel, '/m/extra.json']);
  expect(files.profiles).toEqual([join(root, 'config/default.json')]);
  expect(files.monitors.filter((f) => f === kernel)).toHaveLength(1);
  expect(files.monitors.at(-1)).toBe('/m/extra.json');
  expect(files.monitors).toHaveLength(10);
});
