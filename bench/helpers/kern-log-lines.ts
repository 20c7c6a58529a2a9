/**
 * The kern.log line mix the benchmarks write: mostly benign kernel noise, about 1 in 1000 a problem
 * line in the corpus's formats, as rsyslog writes them (`Jan _2 15:04:05 host kernel: [uptime] msg`).
 * Lives in a folder of its own so bench/run-all.ts does not run it as a benchmark.
 */

/** Benign kernel messages, cycled through. */
export const benignMessages: readonly string[] = [
  'IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready',
  'overlayfs: upper fs needs to support d_type.',
  'cni0: port 3(veth1b2c3d4e) entered forwarding state',
  'device veth1b2c3d4e entered promiscuous mode',
  'EXT4-fs (sda1): mounted filesystem with ordered data mode. Opts: (null)',
  'XFS (dm-3): Mounting V5 Filesystem',
  'XFS (dm-3): Ending clean mount',
  'audit: type=1400 audit(1599541804.928:42): apparmor="STATUS" operation="profile_load" name="cri-containerd.apparmor.d" pid=1234 comm="apparmor_parser"',
  'nf_conntrack: default automatic helper assignment has been turned off for security reasons',
  'TCP: request_sock_TCP: Possible SYN flooding on port 10250. Sending cookies.  Check SNMP counters.',
  'sd 2:0:0:0: [sdc] Synchronizing SCSI cache',
  'usb 1-1: new high-speed USB device number 2 using ehci-pci',
  'systemd-journald[312]: Received SIGTERM from PID 1 (systemd).',
  'br-5f2a1c: port 1(veth9a8b7c6) entered blocking state',
  'mlx5_core 0000:4b:00.0 enp75s0np0: Link up',
  'kauditd_printk_skb: 14 callbacks suppressed',
];

/** Problem messages that rules of monitors/kernel-monitor-filelog.json match. */
export const problemMessages: readonly string[] = [
  'Memory cgroup out of memory: Killed process 4249 (python) total-vm:32812kB, anon-rss:23856kB, file-rss:1700kB, shmem-rss:0kB, UID:0 pgtables:112kB oom_score_adj:994',
  'INFO: task kworker/u8:0:5 blocked for more than 120 seconds.',
  'unregister_netdevice: waiting for lo to become free. Usage count = 1',
  'Buffer I/O error on dev sdd, logical block 0, async page read',
  'EXT4-fs warning (device sdb1): ext4_end_bio:323: I/O error -19 writing to inode 2883677 (offset 0 size 0 starting block 11534592)',
  'BUG: kernel NULL pointer dereference, address: 0000000000000001',
];

/** Whether line `i` of the mix is a problem line (1 in 997). */
export const isProblemLine = (i: number): boolean => i % 997 === 500;

/** The message of line `i` of the mix. */
export const kernLogMessage = (i: number): string =>
  isProblemLine(i) ? (problemMessages[i % problemMessages.length] as string) : (benignMessages[i % benignMessages.length] as string);

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Jan _2 15:04:05` in local time, as rsyslog writes it. */
export function syslogStamp(ms: number): string {
  const d = new Date(ms);
  const mon = months[d.getMonth()] as string;
  const hh = (n: number): string => String(n).padStart(2, '0');
  return `${mon} ${String(d.getDate()).padStart(2, ' ')} ${hh(d.getHours())}:${hh(d.getMinutes())}:${hh(d.getSeconds())}`;
}

/** Line `i` of the mix (no newline), stamped `stamp` (see {@link syslogStamp}), uptime 50 ms per line. */
export const kernLogRow = (stamp: string, i: number): string => `${stamp} node-1 kernel: [${(i * 0.05).toFixed(6).padStart(12)}] ${kernLogMessage(i)}`;

/** Lines `from` … `from + count − 1` of the mix, all stamped `stamp`, each ending in a newline. */
export function kernLogText(stamp: string, from: number, count: number): string {
  const rows: string[] = [];
  for (let i = from; i < from + count; i++) rows.push(kernLogRow(stamp, i));
  return rows.length > 0 ? `${rows.join('\n')}\n` : '';
}
