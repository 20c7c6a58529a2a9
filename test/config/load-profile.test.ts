import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readProfile } from '../../src/config/load-profile.js';
import { ConfigError } from '../../src/core/errors.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shipped = { configDir: join(root, 'config'), monitorsDir: join(root, 'monitors') };

describe('shipped profiles', () => {
  test('default names the log monitors and the node probes', async () => {
    const p = await readProfile('default', shipped);
    expect(p.name).toBe('default');
    expect(p.monitorFiles.map((f) => f.slice(shipped.monitorsDir.length + 1))).toEqual([
      'kernel-monitor.json', 'readonly-monitor.json', 'docker-monitor.json',
      'fd-monitor.json', 'pid-monitor.json', 'inodes-monitor.json', 'ntp-monitor.json', 'runtime-monitor.json', 'conntrack-monitor.json',
    ]);
  });
  test('alibaba-cloud is default plus ACK cloud and kernel-health checks; default has none of them', async () => {
    const ali = await readProfile('alibaba-cloud', shipped);
    const def = await readProfile('default', shipped);
    expect(ali.monitorFiles.slice(0, def.monitorFiles.length)).toEqual(def.monitorFiles);
    expect(ali.monitorFiles.slice(def.monitorFiles.length).map((f) => f.slice(shipped.monitorsDir.length + 1))).toEqual([
      'public-network-monitor.json', 'ram-role-monitor.json', 'memleak-monitor.json', 'cgroup-monitor.json', 'dentry-monitor.json',
      'memfrag-monitor.json', 'irqbalance-monitor.json', 'instance-expiry-monitor.json', 'nvidia-xid-monitor.json', 'ps-hang-monitor.json', 'csi-hang-monitor.json',
    ]);
    for (const only of ['ram-role', 'instance-expiry', 'memleak', 'cgroup', 'dentry', 'memfrag', 'irqbalance']) {
      expect(def.monitorFiles.some((f) => f.includes(only))).toBe(false);
    }
  });
});

describe('profile files', () => {
  let dir: string;
  let opts: { configDir: string; monitorsDir: string };
  const write = (name: string, doc: unknown) => writeFile(join(opts.configDir, name), typeof doc === 'string' ? doc : JSON.stringify(doc));
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'npd-profile-'));
    opts = { configDir: join(dir, 'config'), monitorsDir: join(dir, 'monitors') };
    await mkdir(opts.configDir);
    await mkdir(opts.monitorsDir);
    for (const m of ['a.json', 'b.json', 'c.json']) await writeFile(join(opts.monitorsDir, m), '{}');
    await write('base.json', { monitors: ['a.json', 'b.json'] });
    await write('child.json', { extends: 'base', monitors: ['b.json', 'c.json'] });
    await write('loop1.json', { extends: 'loop2', monitors: ['a.json'] });
    await write('loop2.json', { extends: 'loop1', monitors: ['b.json'] });
    await write('typo.json', { monitors: ['a.json', 'nope.json'] });
    await write('extra.json', { monitors: ['a.json'], exclude: ['b.json'] });
    await write('broken.json', '{"monitors": [');
    await write('empty.json', { monitors: [] });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('extends puts the parent first and drops duplicates', async () => {
    const p = await readProfile('child', opts);
    expect(p.monitorFiles).toEqual(['a.json', 'b.json', 'c.json'].map((m) => join(opts.monitorsDir, m)));
  });
  test('a profile given by path', async () => {
    expect((await readProfile(join(opts.configDir, 'base.json'), opts)).name).toBe('base');
  });
  test.each([
    ['missing', 'missing', '', 'unknown profile "missing"; known: base, broken, child, empty, extra, loop1, loop2, typo'],
    ['loop1', 'loop1.json', 'extends', 'profiles extend each other in a loop: loop1 → loop2 → loop1'],
    ['typo', 'typo.json', 'monitors[1]', 'no such monitor file: '],
    ['extra', 'extra.json', 'exclude', 'unknown field; known: description, extends, monitors'],
    ['broken', 'broken.json', '', 'invalid JSON'],
    ['empty', 'empty.json', 'monitors', 'a profile without "extends" must list at least one monitor'],
  ])('%s → ConfigError', async (name, file, field, problem) => {
    const err = await readProfile(name, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).file.endsWith(file)).toBe(true);
    expect((err as ConfigError).field).toBe(field);
    expect((err as ConfigError).problem).toContain(problem);
  });
});
