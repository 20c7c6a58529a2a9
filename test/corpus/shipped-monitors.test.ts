/**
 * Our shipped monitors (monitors/*.json) on lines NPD's rules miss, each next to NPD's own monitor
 * file (test/fixtures/npd-config) so the difference is explicit. Lines are real formats; the
 * kern.log and kmsg framings around them are written here.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runReplay, formatReplay } from '../../src/app/replay.js';
import { corpusDir } from '../helpers/fixtures.js';

const root = new URL('../../', import.meta.url).pathname;
const corpus = `${corpusDir}/`;
const ours = (n: string): string => join(root, 'monitors', n);
const npd = (n: string): string => join(root, 'test/fixtures/npd-config', n);
const NOW = Date.parse('2026-06-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'npd-replay-'));
let n = 0;
function logFile(text: string): string {
  const f = join(dir, `log-${n++}.log`);
  writeFileSync(f, text);
  return f;
}
async function reasons(monitor: string, text: string): Promise<string[]> {
  const r = await runReplay({ monitorFiles: [monitor], logFiles: [logFile(text)], nowMs: NOW });
  return (r.files[0]?.problems ?? []).map((p) => p.reason);
}

describe('kernel-monitor.json: formats NPD misses', () => {
  test.each([
    ['RHEL 6 OOM kill', 'Killed process 11726, UID 498, (mysqld) total-vm:1474924kB, anon-rss:763564kB, file-rss:148kB', 'OOMKilling'],
    ['negative usage count', 'unregister_netdevice: waiting for eth0 to become free. Usage count = -1', 'UnregisterNetDevice'],
    ['modern NULL oops', 'BUG: kernel NULL pointer dereference, address: 0000000000000008', 'KernelOops'],
    ['page fault oops', 'BUG: unable to handle page fault for address: ffffffffc0a1b2c3', 'KernelOops'],
    ['divide error with PREEMPT/PTI', 'divide error: 0000 [#1] PREEMPT SMP PTI', 'KernelOops'],
    ['soft lockup (watchdog: prefix)', 'watchdog: BUG: soft lockup - CPU#3 stuck for 23s! [kworker/3:1:1234]', 'SoftLockUp'],
    ['soft lockup (old)', 'BUG: soft lockup - CPU#0 stuck for 22s! [java:4242]', 'SoftLockUp'],
    ['RCU self-detected stall', 'rcu: INFO: rcu_sched self-detected stall on CPU', 'RCUStall'],
    ['RCU detected stalls', 'INFO: rcu_preempt detected stalls on CPUs/tasks: { 3-... } (detected by 1, t=60002 jiffies, g=1234, q=56)', 'RCUStall'],
    ['dockerd hung task', 'INFO: task dockerd:1234 blocked for more than 120 seconds.', 'TaskHung,DockerHung'],
  ])('%s', async (_name, line, expected) => {
    expect((await reasons(ours('kernel-monitor.json'), `${line}\n`)).join(',')).toBe(expected);
    const npdHits = (await reasons(npd('kernel-monitor.json'), `${line}\n`)).join(',');
    expect(npdHits).not.toBe(expected);
  });

  test('NPD formats still hit the same rules', async () => {
    expect(await reasons(ours('kernel-monitor.json'), 'divide error: 0000 [#1] SMP \ntask docker:1 blocked for more than 120 seconds.\n')).toEqual(['KernelOops', 'TaskHung', 'DockerHung']);
  });

  test('kernel-monitor-filelog.json reads kern.log with and without [uptime], trailing space trimmed', async () => {
    const text = 'Jan  2 03:04:05 host kernel: [ 1.000000] divide error: 0000 [#1] SMP \nSep 19 10:29:11 host kernel: BUG: soft lockup - CPU#0 stuck for 22s! [java:1]\n';
    const r = await runReplay({ monitorFiles: [ours('kernel-monitor-filelog.json')], logFiles: [logFile(text)], nowMs: NOW });
    expect(r.files[0]?.problems.map((p) => p.reason)).toEqual(['KernelOops', 'SoftLockUp']);
    expect(r.files[0]?.unparsable).toEqual({});
  });

  test("NPD's filelog message regex loses lines with a later `] ` (greedy `\\[.*\\]`)", async () => {
    const text = 'Jan  2 03:04:05 host kernel: [ 1.000000] divide error: 0000 [#1] SMP \n';
    expect(await reasons(npd('kernel-monitor-filelog.json'), text)).toEqual([]);
    expect(await reasons(ours('kernel-monitor-filelog.json'), text)).toEqual(['KernelOops']);
  });

  test('kern.log without printk times parses (NPD #207: "Unable to parse line")', async () => {
    const r = await runReplay({ monitorFiles: [npd('kernel-monitor-filelog.json')], logFiles: [join(corpus, 'syslog/kern-log-centos-no-printk-time-npd207.log')], nowMs: NOW });
    expect(r.files[0]?.unparsable).toEqual({});
    expect(r.files[0]?.lines).toBe(7);
  });
});

describe("ACK's kernel events (its newer kernel-monitor.json), in both kernel monitors", () => {
  test.each([
    ['conntrack table full (5.x prefixes the module twice)', 'nf_conntrack: nf_conntrack: table full, dropping packet', 'NFOverFlow'],
    ['conntrack table full (3.x/4.x)', 'nf_conntrack: table full, dropping packet.', 'NFOverFlow'],
    ['ARP cache overflow', 'neighbour: arp_cache: neighbor table overflow!', 'ARPOverFlow'],
    ['TCP memory', 'TCP: out of memory -- consider tuning tcp_mem', 'TCPMemOverFlow'],
    ['orphaned sockets', 'TCP: too many orphaned sockets', 'TCPSkOverFlow'],
    ['file-max reached', 'VFS: file-max limit 1048576 reached', 'FileOpenLimit'],
    ['a near miss stays quiet', 'nf_conntrack: default automatic helper assignment has been turned off for security reasons', ''],
  ])('%s', async (_name, line, expected) => {
    expect((await reasons(ours('kernel-monitor.json'), `${line}\n`)).join(',')).toBe(expected);
    const kernLog = `Dec  2 03:04:05 node-1 kernel: [ 1234.567890] ${line}\n`;
    expect((await reasons(ours('kernel-monitor-filelog.json'), kernLog)).join(',')).toBe(expected);
  });
});

describe("counter monitors: NPD's log-counter configs as counting rules", () => {
  const unit = 'kubelet.service - kubelet: The Kubernetes Node Agent';
  /** systemd's syslog lines for `n` kubelet restarts two minutes apart, crashed or stopped cleanly. */
  const restarts = (n: number, how: 'crash' | 'clean', fromMin = 10): string =>
    Array.from({ length: n }, (_, i) => {
      const mm = String(fromMin + i * 2).padStart(2, '0');
      const before = how === 'crash' ? 'kubelet.service: Main process exited, code=exited, status=1/FAILURE' : `Stopping ${unit}...`;
      return `Dec  2 03:${mm}:00 node-1 systemd[1]: ${before}\nDec  2 03:${mm}:10 node-1 systemd[1]: Started ${unit}.\n`;
    }).join('');
  const changes = async (monitor: string, text: string): Promise<string[]> => {
    const r = await runReplay({ monitorFiles: [ours(monitor)], logFiles: [logFile(text)], nowMs: NOW });
    return (r.files[0]?.problems ?? []).map((p) => `${p.reason}${p.change ? ` ${p.change.type} ${p.change.from}→${p.change.to}` : ''}`);
  };

  test('5 kubelet crash restarts within 20m set FrequentKubeletRestart; 4 do not', async () => {
    expect(await changes('systemd-monitor-counter.json', restarts(5, 'crash'))).toEqual(['FrequentKubeletRestart FrequentKubeletRestart False→True']);
    expect(await changes('systemd-monitor-counter.json', restarts(4, 'crash'))).toEqual([]);
  });

  test('clean restarts (systemd "Stopping …" first) are not counted, as log-counter\'s --revert-pattern', async () => {
    expect(await changes('systemd-monitor-counter.json', restarts(8, 'clean'))).toEqual([]);
  });

  test('the condition clears once the restarts have left the 20m window', async () => {
    const later = `Dec  2 03:45:00 node-1 systemd[1]: Started Daily apt upgrade and clean activities.\n`;
    expect(await changes('systemd-monitor-counter.json', restarts(5, 'crash') + later)).toEqual([
      'FrequentKubeletRestart FrequentKubeletRestart False→True',
      'NoFrequentKubeletRestart FrequentKubeletRestart True→False',
    ]);
  });

  test('kernel-monitor-counter.json: 3 unregister_netdevice hangs within 20m set FrequentUnregisterNetDevice', async () => {
    const hang = (s: number): string => `6,${s},${s * 1_000_000},-;unregister_netdevice: waiting for eth0 to become free. Usage count = 1\n`;
    expect(await changes('kernel-monitor-counter.json', hang(1) + hang(2))).toEqual([]);
    expect(await changes('kernel-monitor-counter.json', hang(1) + hang(2) + hang(3))).toEqual(['UnregisterNetDevice FrequentUnregisterNetDevice False→True']);
  });
});

describe('nvidia-xid-monitor.json (ACK: an Xid within the last 2 minutes)', () => {
  const rec = (seq: number, sec: number, msg: string): string => `3,${seq},${sec * 1_000_000},-;${msg}\n`;
  const xid = 'NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, name=python, GPU has fallen off the bus.';
  test('an Xid sets NvidiaXidError; it clears 2 minutes after the last one', async () => {
    const r = await runReplay({ monitorFiles: [ours('nvidia-xid-monitor.json')], logFiles: [logFile(rec(1, 100, xid) + rec(2, 160, xid) + rec(3, 250, 'eth0: link up') + rec(4, 290, 'eth0: link down'))], nowMs: NOW });
    expect(r.files[0]?.problems.map((p) => `${p.reason}${p.change ? ` ${p.change.from}→${p.change.to}` : ''}`)).toEqual([
      'NodeHasNvidiaXidError False→True',
      'NodeHasNvidiaXidError', // the second Xid: still True, no change
      'NodeHasNoNvidiaXidError True→False', // 120 s after the second, seen when the line of 290 s arrives
    ]);
  });
  test('other NVRM lines do not', async () => {
    expect(await reasons(ours('nvidia-xid-monitor.json'), `NVRM: loading NVIDIA UNIX x86_64 Kernel Module  535.104.05\n`)).toEqual([]);
  });
});

describe('kmsg continuation lines', () => {
  test('SUBSYSTEM=/DEVICE= lines are split off, so `…\\z` patterns match driver messages (NPD #1086)', async () => {
    const monitor = join(dir, 'mlx5-monitor.json');
    writeFileSync(
      monitor,
      JSON.stringify({ plugin: 'kmsg', source: 'nic-monitor', rules: [{ type: 'temporary', reason: 'NICLinkDown', pattern: 'mlx5_core .*: Link down' }] }),
    );
    const r = await runReplay({ monitorFiles: [monitor], logFiles: [join(corpus, 'kmsg/kmsg-raw-npd-problems-synthetic-framing.log')], nowMs: NOW });
    expect(r.files[0]?.problems.map((p) => p.reason)).toEqual(['NICLinkDown']);
  });
});

describe('docker-monitor.json', () => {
  test('CorruptDockerOverlay2 is raised by the readlink error and reset when dockerd restarts', async () => {
    const text = [
      'Handler for POST /v1.41/containers/abc/start returned error: readlink /var/lib/docker/overlay2/l: invalid argument',
      'Handler for POST /v1.41/containers/abc/start returned error: readlink /var/lib/docker/overlay2/l: invalid argument',
      'Daemon has completed initialization',
    ].join('\n');
    const r = await runReplay({ monitorFiles: [ours('docker-monitor.json')], logFiles: [logFile(text)], nowMs: NOW });
    const problems = r.files[0]?.problems ?? [];
    expect(problems.map((p) => [p.reason, p.change ? `${p.change.from}→${p.change.to}` : '-'])).toEqual([
      ['CorruptDockerOverlay2', 'False→True'],
      ['CorruptDockerOverlay2', '-'],
      ['NoCorruptDockerOverlay2', 'True→False'],
    ]);
  });

  test('the newer `file exists` wording is a CorruptDockerImage', async () => {
    const line = 'Handler for POST /v1.41/images/create returned error: failed to register layer: rename /var/lib/docker/image/overlay2/layerdb/tmp/write-set-1 /var/lib/docker/image/overlay2/layerdb/sha256/ab: file exists';
    expect(await reasons(ours('docker-monitor.json'), line)).toEqual(['CorruptDockerImage']);
    expect(await reasons(npd('docker-monitor.json'), line)).toEqual([]);
  });
});

describe('formatReplay', () => {
  test('prints reason, condition change, rule and matched lines', async () => {
    const r = await runReplay({ monitorFiles: [ours('kernel-monitor.json')], logFiles: [logFile('boot\ntask docker:7 blocked for more than 120 seconds.\n')], nowMs: NOW });
    const text = formatReplay(r);
    expect(text).toContain('kernel-monitor: DockerHung — KernelDeadlock False → True');
    expect(text).toMatch(/rule: rules\[\d+\] permanent "task dockerd\?:\\\\w\+ blocked/);
    expect(text).toContain('line 2: task docker:7 blocked for more than 120 seconds.');
    expect(text.trimEnd().split('\n').at(-1)).toBe('2 problems in 1 file');
  });
});
