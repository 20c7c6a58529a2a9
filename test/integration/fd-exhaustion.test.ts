/**
 * A flood of connections on the health port of the built agent, run with 256 file descriptors
 * (`prlimit`): the connection cap keeps the agent's descriptors for its own work, so `/metrics`
 * still answers during the flood, `/healthz` too (each new connection closes the oldest one still
 * waiting for its headers), and the flood is logged as the cap being reached (not as EMFILE or a
 * rejected configuration).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, node, nodeFlags, requireBuild } from '../helpers/cli.js';
import { freePort } from '../helpers/net.js';
import { kernLogMonitor } from '../helpers/monitor-files.js';
import { eventually } from '../helpers/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'npd-fds-'));
const monitor = join(dir, 'kernel-monitor.json');
writeFileSync(join(dir, 'kern.log'), '');
writeFileSync(monitor, kernLogMonitor(join(dir, 'kern.log'), { rules: [{ type: 'temporary', reason: 'OOMKilling', pattern: 'Killed process .*' }] }));

test('1,000 held connections to /healthz of an agent with 256 fds: /metrics and /healthz answer during the flood, logged as the cap', async () => {
  requireBuild();
  const [port, promPort] = [await freePort(), await freePort()];
  const agent = spawn('prlimit', ['--nofile=256', node, ...nodeFlags, cli, 'run', '--standalone', `--config.system-log-monitor=${monitor}`, `--port=${port}`, `--prometheus-port=${promPort}`, '--no-reload'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  agent.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => agent.on('close', (code) => r(code)));
  const flood: Socket[] = [];
  try {
    await eventually(() => (stderr.includes('npd-ts running') ? true : undefined), 'startup', 30_000, 50);
    await Promise.all(Array.from({ length: 1000 }, () => new Promise<void>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.on('error', () => resolve());
      s.on('connect', () => {
        s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'); // headers never finished
        resolve();
      });
      flood.push(s);
    })));
    const metrics = await fetch(`http://127.0.0.1:${promPort}/metrics`);
    expect(metrics.status).toBe(200);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    await eventually(() => (stderr.includes('health server: connection limit reached') ? true : undefined), 'the cap warning', 20_000, 50);
    expect(stderr).not.toMatch(/EMFILE|configuration rejected|out of file descriptors/);
    expect(agent.exitCode).toBeNull();
  } finally {
    for (const s of flood) s.destroy();
    agent.kill('SIGTERM');
    await exited;
  }
}, 120_000);
