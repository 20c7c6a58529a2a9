/**
 * Every file of the shared log corpus (test/fixtures/corpus, a copy of ../shared/corpus; see its README) through `replay`, twice:
 * with NPD's own shipped monitor files (test/fixtures/npd-config, verbatim) the hits must equal the
 * README's "hits" column (what NPD reports); with our shipped monitors (monitors/*.json) they must
 * equal that too, except in the rows that name a `why`: there we deliberately do better.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReplay } from '../../src/app/replay.js';
import { corpusDir } from '../helpers/fixtures.js';

const corpus = `${corpusDir}/`;
const root = new URL('../../', import.meta.url).pathname;
/** The shared corpus beside a working checkout; a CI clone has only the copy. */
const shared = join(root, '../shared/corpus/');
const NOW = Date.parse('2026-06-01T00:00:00Z');

const names = ['kernel-monitor.json', 'readonly-monitor.json', 'docker-monitor.json', 'systemd-monitor.json'];
const npdMonitors = names.map((n) => join(root, 'test/fixtures/npd-config', n));
const ourMonitors = names.map((n) => join(root, 'monitors', n));

interface Row {
  readonly file: string;
  /** NPD's hits (README), in line order. */
  readonly npd: readonly string[];
  /** Ours, when we deliberately differ. */
  readonly ours?: readonly string[];
  readonly why?: string;
}

const x = (reason: string, n: number): string[] => Array.from({ length: n }, () => reason);

const rows: readonly Row[] = [
  { file: 'npd-upstream/npd-kernel-log-generator-docker_hung.log', npd: ['TaskHung', 'DockerHung'] },
  { file: 'npd-upstream/npd-kernel-log-generator-aufs_umount_hung.log', npd: ['TaskHung'] },
  { file: 'npd-upstream/npd-kernel-log-generator-null_pointer.log', npd: ['KernelOops'] },
  { file: 'npd-upstream/npd-kernel-log-generator-divide_zero.log', npd: ['KernelOops'] },
  { file: 'npd-upstream/npd-kernel-log-generator-oom_kill.log', npd: ['OOMKilling'] },
  { file: 'npd-upstream/npd-kernel-log-generator-readonly_filesystem.log', npd: ['FilesystemIsReadOnly'] },
  { file: 'npd-upstream/npd-kernel-log-generator-unregister_netdevice.log', npd: ['UnregisterNetDevice'] },
  { file: 'npd-upstream/npd-kernel-log-generator-au_opts_verify.log', npd: [] },
  { file: 'npd-upstream/npd-unit-test-filelog-kern.log', npd: [] },
  { file: 'npd-upstream/npd-unit-test-docker-filelog.log', npd: [] },
  {
    file: 'npd-upstream/npd-unit-test-messages.txt',
    npd: ['KernelOops', 'TaskHung', 'DockerHung', 'TaskHung', 'DockerHung', 'Ext4Error', 'CperHardwareErrorFatal', 'OOMKilling', 'IOError'],
  },
  { file: 'kmsg/kmsg-raw-linux-doc-dev-kmsg.log', npd: [] },
  { file: 'kmsg/kmsg-raw-go-kmsg-parser-sample1.log', npd: [] },
  {
    file: 'kmsg/kmsg-raw-npd-problems-synthetic-framing.log',
    npd: ['TaskHung', 'DockerHung', 'OOMKilling', 'UnregisterNetDevice', 'FilesystemIsReadOnly', 'KernelOops', 'KernelOops', 'TaskHung'],
  },
  { file: 'syslog/kern-log-buffer-io-error-longhorn2775.log', npd: ['Ext4Warning', ...x('IOError', 6)] },
  { file: 'syslog/kern-log-ext4-warning-rpi703.log', npd: x('Ext4Warning', 7) },
  { file: 'syslog/sonic-syslog-ext4-loop-errors.log', npd: ['Ext4Warning', 'IOError', 'Ext4Error'] },
  { file: 'syslog/kern-log-hung-task-rpi2557.log', npd: ['TaskHung'] },
  { file: 'syslog/rsyslog-rfc3339-hung-task-tail-ch8284.log', npd: [] },
  { file: 'syslog/syslogd-wall-unregister-netdevice.txt', npd: x('UnregisterNetDevice', 2) },
  { file: 'syslog/kern-log-oom-preamble-rhel7-moby38352.log', npd: [] },
  { file: 'syslog/kern-log-oom-killed-systemd6966.log', npd: ['OOMKilling'] },
  { file: 'syslog/kern-log-oom-kill-constraint-gpud70.log', npd: [] },
  { file: 'syslog/kern-log-cper-hardware-error-node-exporter3511.log', npd: ['CperHardwareErrorCorrected'] },
  { file: 'syslog/kern-log-centos-no-printk-time-npd207.log', npd: [] },
  { file: 'syslog/var-log-messages-xfs-internal-error-el6.log', npd: [] },
  { file: 'syslog/journal-short-xfs-recovery-qubes7242.log', npd: [] },
  { file: 'dmesg/dmesg-oom-kernel-5.13.log', npd: [] },
  { file: 'dmesg/dmesg-buffer-io-error-longhorn193.log', npd: x('IOError', 3) },
  { file: 'dmesg/dmesg-buffer-io-error-haos3948.log', npd: x('IOError', 3) },
  { file: 'dmesg/dmesg-buffer-io-error-qubes7795.log', npd: ['Ext4Warning', 'IOError', 'Ext4Warning', 'IOError', 'IOError'] },
  { file: 'dmesg/dmesg-console-interleaved-ext4.log', npd: ['IOError'] },
  { file: 'dmesg/dmesg-ext4-warning-gardenlinux945.log', npd: ['Ext4Warning'] },
  { file: 'dmesg/dmesg-hung-task-kernel-5.10-rpi4943.log', npd: ['TaskHung'] },
  {
    file: 'dmesg/dmesg-oops-null-pointer-kernel-5.8-gvt170.log',
    npd: [],
    ours: ['KernelOops'],
    why: 'modern oops wording `BUG: kernel NULL pointer dereference, address:` (kernel ≥ 4.17) has its own KernelOops rule',
  },
  { file: 'dmesg/dmesg-oops-null-pointer-old-format-uksm18.log', npd: ['KernelOops'] },
  { file: 'dmesg/dmesg-xfs-metadata-corruption.log', npd: [] },
  { file: 'dmesg/dmesg-xfs-benign-mount-writeboost150.log', npd: [] },
  { file: 'messages/hung-task-jbd2-univention.txt', npd: ['TaskHung'] },
  { file: 'messages/oom-messages-kernel-4.19-vs-5.4.txt', npd: x('OOMKilling', 4) },
  { file: 'messages/kernel-prefixed-cper-npd846.log', npd: [] },
  { file: 'journald/journald-json-kernel-ext4-errors.jsonl', npd: x('Ext4Error', 4) },
  { file: 'journald/journald-export-format-systemd-doc.txt', npd: [] },
  { file: 'daemons/dockerd-syslog-oci-runtime-for-linux647.log', npd: [] },
  { file: 'daemons/dockerd-journal-zh-locale-moby41296.log', npd: [] },
  { file: 'daemons/docker-journal-shutdown-moby21702.log', npd: [] },
  { file: 'daemons/containerd-systemd-journal-bottlerocket773.log', npd: [] },
  { file: 'daemons/systemd-journal-clearlinux127.log', npd: [] },
  { file: 'daemons/kubelet-journal-ansible125.log', npd: [] },
  {
    file: 'daemons/docker-error-messages.txt',
    npd: ['DockerContainerStartupFailure'],
    ours: [...x('CorruptDockerImage', 5), 'DockerContainerStartupFailure'],
    why: "CorruptDockerImage no longer needs the removed `Error trying v2 registry:` prefix, accepts any data-root and Docker's newer `file exists` wording (lines 4-5)",
  },
];

async function hits(monitors: string[], file: string): Promise<string[]> {
  const r = await runReplay({ monitorFiles: monitors, logFiles: [join(corpus, file)], nowMs: NOW });
  return (r.files[0]?.problems ?? []).map((p) => p.reason);
}

describe('corpus', () => {
  test('the table covers every corpus data file', () => {
    const files = readdirSync(corpus, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name !== 'README.md')
      .map((d) => join(d.parentPath, d.name).slice(corpus.length))
      .sort();
    expect(rows.map((r) => r.file).sort()).toEqual(files);
  });

  const whereShared = existsSync(shared) ? test : test.skip;
  whereShared('the copy equals ../shared/corpus, file by file', () => {
    const list = (dir: string): string[] =>
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => join(d.parentPath, d.name).slice(dir.length))
        .sort();
    expect(list(corpus)).toEqual(list(shared));
    for (const f of list(shared)) expect([f, readFileSync(join(corpus, f)).equals(readFileSync(join(shared, f)))]).toEqual([f, true]);
  });

  test.each(rows.map((r) => [r.file, r] as const))("NPD's shipped monitors on %s give the README's hits", async (_f, row) => {
    expect(await hits(npdMonitors, row.file)).toEqual(row.npd);
  });

  test.each(rows.map((r) => [r.file, r.why ?? 'same as NPD', r] as const))('our monitors on %s (%s)', async (_f, _why, row) => {
    expect(await hits(ourMonitors, row.file)).toEqual(row.ours ?? row.npd);
  });
});
