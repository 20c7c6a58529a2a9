/**
 * SIGUSR1 must not open the Node inspector (127.0.0.1:9229, the node's loopback under hostNetwork,
 * in a root process): the built agent gets the signal and keeps running with no new listener, with
 * the launch flags and, for a launch that forgot them, through its own SIGUSR1 listener.
 */
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, nodeFlags, repoRoot, startCli, type CliProcess } from '../helpers/cli.js';
import { freePort } from '../helpers/net.js';
import { kernLogMonitor } from '../helpers/monitor-files.js';

const dir = mkdtempSync(join(tmpdir(), 'npd-sigusr1-'));
const logPath = join(dir, 'kern.log');
const monitorPath = join(dir, 'kernel-monitor.json');
writeFileSync(logPath, '');
writeFileSync(monitorPath, kernLogMonitor(logPath, { rules: [{ type: 'temporary', reason: 'OOMKilling', pattern: 'Killed process .*' }] }));

/** TCP ports that process `pid` listens on: its socket inodes matched against /proc/net/tcp{,6}. */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const row of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const cols = row.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex, st 0A is LISTEN, the inode is column 10.
      if (cols[3] === '0A' && inodes.has(cols[9] ?? '')) ports.push(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

async function signalledAgent(flags: readonly string[]): Promise<{ npd: CliProcess; port: number }> {
  const port = await freePort();
  const npd = startCli(['run', '--standalone', `--config.system-log-monitor=${monitorPath}`, `--port=${port}`, '--prometheus-port=0', '--no-reload'], { flags });
  await npd.waitFor((_o, e) => e.includes('npd-ts running'), 30_000, 'startup');
  npd.child.kill('SIGUSR1');
  if (!flags.includes('--disable-sigusr1')) await npd.waitFor((_o, e) => e.includes('SIGUSR1 ignored'), 20_000, 'the SIGUSR1 log line');
  // Round trips through the event loop after the signal: an inspector would have started by now.
  for (let i = 0; i < 5; i++) {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { npd, port };
}

test.each([
  ['with the launch flags', nodeFlags],
  ['without --disable-sigusr1 (the listener alone)', nodeFlags.filter((f) => f !== '--disable-sigusr1')],
])('SIGUSR1 %s: nothing listens on 9229, the agent keeps running', async (_name, flags) => {
  const { npd, port } = await signalledAgent(flags);
  try {
    const ports = listeningPorts(npd.child.pid!);
    expect(ports).toContain(port); // the check sees the agent's listeners
    expect(ports).not.toContain(9229);
    expect(npd.stderr()).not.toMatch(/Debugger listening/);
    expect(npd.child.exitCode).toBeNull();
  } finally {
    expect(await npd.stop()).toBe(0);
  }
}, 60_000);

test('every way of starting the agent passes --disable-sigusr1', () => {
  const shebang = readFileSync(cli, 'utf8').split('\n')[0];
  expect(shebang).toBe(`#!/usr/bin/env -S node ${nodeFlags.join(' ')}`);
  const scripts = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const launches = Object.values(scripts).flatMap((s) => s.split('&&').map((c) => c.trim())).filter((c) => c.includes('dist/src/app/npd.js'));
  expect(launches.length).toBeGreaterThanOrEqual(2);
  for (const launch of launches) expect(launch).toMatch(new RegExp(`^node ${nodeFlags.join(' ')} dist/src/app/npd\\.js`));
});
