import { ConfigError, Re2Error } from '../../src/core/errors.js';
import { createLineParser, parseGenericLine } from '../../src/sources/line-parser.js';
import { readCorpusLines } from '../helpers/fixtures.js';
import { kernLogPluginConfig } from '../helpers/monitor-files.js'; // NPD's config/kernel-monitor-filelog.json

const NOW = Date.UTC(2026, 4, 15, 12, 0, 0); // 2026-05-15T12:00:00Z
const opts = { file: 'kernel-monitor-filelog.json', nowMs: NOW, timeZone: 'UTC' };
/** NPD's config/docker-monitor-filelog.json pluginConfig. */
const npdDocker = { timestamp: '^time="(\\S*)"', message: 'msg="([^\\n]*)"', timestampFormat: '2006-01-02T15:04:05.999999999-07:00' };

describe('createLineParser with NPD kernel config', () => {
  const parse = createLineParser(kernLogPluginConfig, opts);
  const npdLines = readCorpusLines('npd-upstream', 'npd-unit-test-filelog-kern.log');

  test.each([
    ['NPD TestWatch line', npdLines[0], '1', '2026-01-02T03:04:03.000Z'],
    ['NPD TestTranslate normal', npdLines[3], 'component: log message', '2026-05-01T12:23:45.000Z'],
    ['NPD TestTranslate empty message (May 21 is > 1 day ahead: last year)', npdLines[4], '', '2025-05-21T12:23:45.000Z'],
    ['kern.log with uptime', 'Jul  6 14:45:34 adjucator kernel: [23768.849113] blk_update_request: I/O error, dev sdd', 'blk_update_request: I/O error, dev sdd', '2025-07-06T14:45:34.000Z'],
    ['no printk time (NPD #207)', 'Sep 19 10:29:11 172 kernel: overlayfs: upper fs needs to support d_type.', 'overlayfs: upper fs needs to support d_type.', '2025-09-19T10:29:11.000Z'],
    ['cper without uptime', 'Dec 29 05:24:23 proxmox kernel: {35}[Hardware Error]: event severity: corrected', '{35}[Hardware Error]: event severity: corrected', '2025-12-29T05:24:23.000Z'],
    ['RFC 3339 with µs', '2026-05-28T12:21:57.303295+00:00 vm-1 kernel:  ret_from_fork+0x44/0x70', 'ret_from_fork+0x44/0x70', '2026-05-28T12:21:57.303Z'],
    ['RFC 3339 with ns and offset', '2024-05-01T10:00:00.123456789+02:00 host kernel: [ 1.0] EXT4-fs error', 'EXT4-fs error', '2024-05-01T08:00:00.123Z'],
    ['SONiC year prefix', '2025 Jul  2 06:56:57.749624 sonic_testbed ERR kernel: [  993.616601] loop: Write error at byte offset 673251328, length 4096.', 'loop: Write error at byte offset 673251328, length 4096.', '2025-07-02T06:56:57.749Z'],
    ['journalctl -o short', 'Feb 06 19:41:48 dom0 kernel: EXT4-fs (sda1): mounted filesystem with ordered data mode. Opts: discard', 'EXT4-fs (sda1): mounted filesystem with ordered data mode. Opts: discard', '2026-02-06T19:41:48.000Z'],
    ['trailing space trimmed', 'Jan  2 03:04:03 host kernel: [1.0] PGD 0 ', 'PGD 0', '2026-01-02T03:04:03.000Z'],
  ])('%s', (_name, line, message, time) => {
    const got = parse(line as string);
    expect(got?.message).toBe(message);
    expect(got?.time.toISOString()).toBe(time);
  });

  test.each([
    ['missing ] (NPD TestTranslate)', npdLines[5]],
    ['audit line (no kernel:)', npdLines[6]],
    ['kubelet line', npdLines[7]],
    ['systemd line', 'Feb 06 19:41:48 dom0 systemd[1]: Mounting /boot...'],
    ['no timestamp at all', 'kernel: [1.0] hello'],
    ['zh locale month', '7月 09 14:12:17 dockerd[60577]: time="x" kernel: [1.0] y'],
  ])('%s → undefined', (_name, line) => {
    expect(parse(line as string)).toBeUndefined();
  });

  test.each(['kern-log-buffer-io-error-longhorn2775.log', 'kern-log-ext4-warning-rpi703.log', 'kern-log-hung-task-rpi2557.log', 'sonic-syslog-ext4-loop-errors.log',
    'kern-log-centos-no-printk-time-npd207.log', 'kern-log-cper-hardware-error-node-exporter3511.log', 'kern-log-oom-killed-systemd6966.log',
    'kern-log-oom-preamble-rhel7-moby38352.log', 'rsyslog-rfc3339-hung-task-tail-ch8284.log', 'kern-log-oom-kill-constraint-gpud70.log'])('every kernel line of syslog/%s parses without its prefix', (file) => {
    const lines = readCorpusLines('syslog', file).filter((l) => l.includes('kernel:'));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      const got = parse(l);
      expect(got).toBeDefined();
      expect(got?.message).not.toMatch(/kernel:|^\[\s*\d+\.\d+\]/);
      expect(l.endsWith(got?.message as string)).toBe(true);
    }
  });

  test('NPD quirk kept: the greedy `\\[.*\\]` eats a later bracket', () => {
    expect(parse('Jan  2 03:04:03 h kernel: [1.0] divide error: 0000 [#1] SMP ')?.message).toBe('SMP');
  });

  test('last-year rule: a December line read in January', () => {
    const jan = createLineParser(kernLogPluginConfig, { ...opts, nowMs: Date.UTC(2026, 0, 1, 0, 5) });
    expect(jan('Dec 31 23:59:00 h kernel: [1.0] x')?.time.toISOString()).toBe('2025-12-31T23:59:00.000Z');
  });

  test('live now() wins over nowMs', () => {
    const p = createLineParser(kernLogPluginConfig, { ...opts, now: () => Date.UTC(2030, 5, 1) });
    expect(p('Jan  2 03:04:03 kernel: [0.000000] 1')?.time.getUTCFullYear()).toBe(2030);
  });
});

describe('createLineParser with NPD docker config', () => {
  const parse = createLineParser(npdDocker, opts);
  test('NPD TestTranslate docker line (literal \\n kept)', () => {
    const [line] = readCorpusLines('npd-upstream', 'npd-unit-test-docker-filelog.log');
    const got = parse(line as string);
    expect(got?.message).toBe('test log line1\\n test log line2');
    expect(got?.time.toISOString()).toBe('2017-02-02T01:58:34.999Z');
  });
});

describe('createLineParser config errors', () => {
  test.each([
    ['bad timestamp regex', { ...kernLogPluginConfig, timestamp: '(' }, 'pluginConfig.timestamp', 'invalid regular expression: '],
    ['bad message regex', { ...kernLogPluginConfig, message: '[a-' }, 'pluginConfig.message', 'invalid regular expression: '],
    ['empty layout', { ...kernLogPluginConfig, timestampFormat: '' }, 'pluginConfig.timestampFormat', 'must be set (non-empty) together with timestamp and message'],
    ['layout without fields', { ...kernLogPluginConfig, timestampFormat: 'hello' }, 'pluginConfig.timestampFormat', '"hello" has no Go time fields (e.g. "Jan _2 15:04:05")'],
    ['message missing', { timestamp: '^.{15}', timestampFormat: 'Jan _2 15:04:05' }, 'pluginConfig.message', 'must be set (non-empty) together with timestamp and timestampFormat'],
    ['timestamp empty', { ...kernLogPluginConfig, timestamp: '' }, 'pluginConfig.timestamp', 'must be set (non-empty) together with message and timestampFormat'],
  ])('%s → ConfigError on %s', (_name, config, field, why) => {
    let err: unknown;
    try {
      createLineParser(config, opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe(field);
    expect((err as ConfigError).file).toBe('kernel-monitor-filelog.json');
    expect((err as ConfigError).message).toContain(`${field}: ${why}`);
    if (why.startsWith('invalid')) expect((err as ConfigError).cause).toBeInstanceOf(Re2Error);
  });

  test('RE2 leading flags and \\z are accepted', () => {
    const p = createLineParser({ timestamp: '(?i)^(JAN .{11})', message: 'kernel: (.*)\\z', timestampFormat: 'Jan _2 15:04:05' }, opts);
    expect(p('jan  2 03:04:03 kernel: hi')?.message).toBe('hi');
  });

  test('non-NPD keys alone select the generic parser', () => {
    expect(createLineParser({ journalctl: '/x' }, opts)('Jan  2 03:04:03 h kernel: [1.0] hi')?.message).toBe('hi');
  });
});

describe('generic parser (empty pluginConfig)', () => {
  const parse = createLineParser({}, opts);
  test.each([
    ['syslog kernel', 'Jul  6 14:45:34 adjucator kernel: [23768.849113] Buffer I/O error', 'Buffer I/O error', 'kernel', '2025-07-06T14:45:34.000Z'],
    ['syslog daemon', 'Apr 21 17:09:11 duncan docker[1077]: time="2016-04-21T17:09:11+03:00" level=info msg="x"', 'time="2016-04-21T17:09:11+03:00" level=info msg="x"', 'docker', '2026-04-21T17:09:11.000Z'],
    ['no hostname', 'Apr  9 09:16:52 dockerd[1157]: time="2019" level=info', 'time="2019" level=info', 'dockerd', '2026-04-09T09:16:52.000Z'],
    ['RFC 3339 syslog', '2026-05-28T12:21:57.303296+00:00 vm-1 systemd[1]: Started x.', 'Started x.', 'systemd', '2026-05-28T12:21:57.303Z'],
    ['SONiC', '2025 Jul  2 06:56:57.749656 sonic_testbed WARNING kernel: [  993.631854] EXT4-fs warning', 'EXT4-fs warning', 'kernel', '2025-07-02T06:56:57.749Z'],
    ['dmesg', '[  306.925807] I/O error, dev sda', 'I/O error, dev sda', undefined, '2026-05-15T12:00:00.000Z'],
    ['bare text', 'Memory cgroup out of memory: Killed process 1', 'Memory cgroup out of memory: Killed process 1', undefined, '2026-05-15T12:00:00.000Z'],
    ['zh locale month (bare)', '7月 09 14:12:17 dockerd[60577]: x', '7月 09 14:12:17 dockerd[60577]: x', undefined, '2026-05-15T12:00:00.000Z'],
    // Each prefix and tag form at its edges (a space for T, two blanks, no pid, a level, a cut-off date, text before a date):
    ['2026-05-01T10:00:00+02:00 host app[7]: msg', '2026-05-01T10:00:00+02:00 host app[7]: msg', 'msg', 'app', '2026-05-01T08:00:00.000Z'],
    ['2026-05-01 10:00:00+02:00  host app: msg', '2026-05-01 10:00:00+02:00  host app: msg', 'msg', 'app', '2026-05-01T08:00:00.000Z'],
    ['2026-05-01 10:00:00 app:msg', '2026-05-01 10:00:00 app:msg', 'msg', 'app', '2026-05-01T10:00:00.000Z'],
    ['2026-05-01 10:00:00.123  host app: msg ', '2026-05-01 10:00:00.123  host app: msg ', 'msg', 'app', '2026-05-01T10:00:00.123Z'],
    ['2026-05-01T10:00:00,5 app: msg', '2026-05-01T10:00:00,5 app: msg', 'msg', 'app', '2026-05-01T10:00:00.500Z'],
    ['2025 Jul 2 06:56:57 sonic INFO  app: m', '2025 Jul 2 06:56:57 sonic INFO  app: m', 'm', 'app', '2025-07-02T06:56:57.000Z'],
    ['2025 Jul 12 06:56:57.5 sonic app: m', '2025 Jul 12 06:56:57.5 sonic app: m', 'm', 'app', '2025-07-12T06:56:57.500Z'],
    ['2025 Jul 12 06:56:57  sonic app: m', '2025 Jul 12 06:56:57  sonic app: m', 'm', 'app', '2025-07-12T06:56:57.000Z'],
    ['Jan 2 03:04:05 h app:m', 'Jan 2 03:04:05 h app:m', 'm', 'app', '2026-01-02T03:04:05.000Z'],
    ['Jan 12 03:04:05.050705  h  app: m', 'Jan 12 03:04:05.050705  h  app: m', 'm', 'app', '2026-01-12T03:04:05.050Z'],
    ['Jan 12 03:04:05 app: m', 'Jan 12 03:04:05 app: m', 'm', 'app', '2026-01-12T03:04:05.000Z'],
    ['Jan 12 03:04:05 a b c: m', 'Jan 12 03:04:05 a b c: m', 'a b c: m', undefined, '2026-01-12T03:04:05.000Z'],
    ['Jan 12 03:04:05 just text  ', 'Jan 12 03:04:05 just text  ', 'just text', undefined, '2026-01-12T03:04:05.000Z'],
    ['Jan 12 03:04:05 h app: [ 1.0] m ', 'Jan 12 03:04:05 h app: [ 1.0] m ', '[ 1.0] m', 'app', '2026-01-12T03:04:05.000Z'],
    ['Jan 12 03:04:05 h kernel: [ 1.0]m', 'Jan 12 03:04:05 h kernel: [ 1.0]m', 'm', 'kernel', '2026-01-12T03:04:05.000Z'],
    ['Feb 30 03:04:05 h app: m', 'Feb 30 03:04:05 h app: m', 'Feb 30 03:04:05 h app: m', undefined, '2026-05-15T12:00:00.000Z'],
    ['hello 2026-05-01T10:00:00Z x', 'hello 2026-05-01T10:00:00Z x', 'hello 2026-05-01T10:00:00Z x', undefined, '2026-05-15T12:00:00.000Z'],
    ['hello 2026-05-01 10:00:00 x', 'hello 2026-05-01 10:00:00 x', 'hello 2026-05-01 10:00:00 x', undefined, '2026-05-15T12:00:00.000Z'],
    ['x 2025 Jul 12 06:56:57 y', 'x 2025 Jul 12 06:56:57 y', 'x 2025 Jul 12 06:56:57 y', undefined, '2026-05-15T12:00:00.000Z'],
    ['x Jan 12 03:04:05 y', 'x Jan 12 03:04:05 y', 'x Jan 12 03:04:05 y', undefined, '2026-05-15T12:00:00.000Z'],
    ['abc [ 1.0] x', 'abc [ 1.0] x', 'abc [ 1.0] x', undefined, '2026-05-15T12:00:00.000Z'],
    ['[ 1.0]x  ', '[ 1.0]x  ', 'x', undefined, '2026-05-15T12:00:00.000Z'],
  ])('%s', (_name, line, message, tag, time) => {
    const got = parse(line);
    expect(got?.message).toBe(message);
    expect(got?.fields?.SYSLOG_IDENTIFIER).toBe(tag);
    expect(got?.time.toISOString()).toBe(time);
  });

  test.each([
    ...['kern-log-buffer-io-error-longhorn2775.log', 'sonic-syslog-ext4-loop-errors.log', 'journal-short-xfs-recovery-qubes7242.log', 'var-log-messages-xfs-internal-error-el6.log', 'rsyslog-rfc3339-hung-task-tail-ch8284.log'].map((f) => ['syslog', f]),
    ...['containerd-systemd-journal-bottlerocket773.log', 'docker-journal-shutdown-moby21702.log', 'kubelet-journal-ansible125.log', 'systemd-journal-clearlinux127.log', 'dockerd-syslog-oci-runtime-for-linux647.log'].map((f) => ['daemons', f]),
  ])('%s/%s: every line gets its own time and a tag', (dir, file) => {
    for (const l of readCorpusLines(dir as string, file as string)) {
      const got = parse(l);
      expect(got?.fields?.SYSLOG_IDENTIFIER).toBeDefined();
      expect(got?.time.getTime()).not.toBe(NOW);
      expect(got?.message).not.toMatch(/^\[\s*\d+\.\d+\]/);
    }
  });

  test.each(['dmesg-buffer-io-error-haos3948.log', 'dmesg-oom-kernel-5.13.log', 'dmesg-hung-task-kernel-5.10-rpi4943.log', 'dmesg-console-interleaved-ext4.log'])('dmesg/%s: uptime stripped, time = now', (file) => {
    for (const l of readCorpusLines('dmesg', file)) {
      const got = parseGenericLine(l, NOW);
      expect(got.time.getTime()).toBe(NOW);
      expect(got.message).not.toMatch(/^\[\s*\d+\.\d+\]/);
    }
  });
});

describe('createLineParser over a stream (NPD kernel config)', () => {
  test('lines sharing or changing the `^.{15}` timestamp each get their own time and message', () => {
    const parse = createLineParser(kernLogPluginConfig, opts);
    const rows = [
      ['Jan  2 03:04:03 h kernel: [1.0] a', '2026-01-02T03:04:03.000Z', 'a'],
      ['Jan  2 03:04:03 h kernel: [1.1] b', '2026-01-02T03:04:03.000Z', 'b'],
      ['Jan  2 03:04:04 h kernel: [1.2] c', '2026-01-02T03:04:04.000Z', 'c'],
      ['Jan  2 03:04:0', undefined, undefined],
      ['Jan  2 03:04:04 h kernel: [1.3] d', '2026-01-02T03:04:04.000Z', 'd'],
      ['2026-01-02T03:04:05Z h kernel: [1.4] e', '2026-01-02T03:04:05.000Z', 'e'],
      ['Jan  2 03:04:04 h kernel: [1.5] f', '2026-01-02T03:04:04.000Z', 'f'],
    ] as const;
    for (const [line, time, message] of rows) {
      const got = parse(line);
      expect([line, got?.time.toISOString(), got?.message]).toEqual([line, time, message]);
    }
  });

  test('a live now() that passes New Year moves the filled-in year', () => {
    let now = Date.UTC(2025, 11, 31, 23, 59);
    const parse = createLineParser(kernLogPluginConfig, { ...opts, now: () => now });
    expect(parse('Jan  1 00:00:30 h kernel: [1.0] x')?.time.toISOString()).toBe('2025-01-01T00:00:30.000Z');
    now = Date.UTC(2026, 0, 1, 0, 1);
    expect(parse('Jan  1 00:00:30 h kernel: [1.0] x')?.time.toISOString()).toBe('2026-01-01T00:00:30.000Z');
  });
});

describe('message patterns ending in (.*)', () => {
  test.each([
    ['greedy bracket quirk', 'kernel: \\[.*\\] (.*)', 'Jan  2 03:04:03 h kernel: [1.0] a [b] c', 'c'],
    ['stops at a newline like RE2 .', 'msg=(.*)', 'Jan  2 03:04:03 msg=hello\nworld', 'hello'],
    ['(?s) lets . take the newline', '(?s)msg=(.*)', 'Jan  2 03:04:03 msg=hello\nworld', 'hello\nworld'],
    ['escaped backslash before the group', 'x\\\\(.*)', 'Jan  2 03:04:03 x\\rest', 'rest'],
    ['leftmost match of the head', 'k=(.*)', 'Jan  2 03:04:03 k=1 k=2', '1 k=2'],
    ['no match', 'msg=(.*)', 'Jan  2 03:04:03 h kernel: x', undefined],
  ])('%s', (_name, message, line, expected) => {
    const parse = createLineParser({ timestamp: '^.{15}', message, timestampFormat: 'Jan _2 15:04:05' }, opts);
    expect(parse(line)?.message).toBe(expected);
  });
});

describe('hostile long lines', () => {
  // On the backtracking JIT the message regex `kernel: \[.*\] ` searched this line quadratically
  // (11 s for 144 K characters, without the linear fallback ever triggering); long lines now run on
  // the linear-time engine. Asserted on outcomes; a regression would hit the test's timeout.
  const parse = createLineParser(kernLogPluginConfig, opts);
  test('256 K characters of `kernel: [` without a closing `] `: it returns, with NPD #207\'s fallback (the text after `kernel: `)', () => {
    const text = 'kernel: ['.repeat(28_000);
    const message = parse(`Jan  2 15:04:05 node-1 ${text}`)?.message;
    expect(message?.length).toBe(text.length - 'kernel: '.length);
    expect(message?.startsWith('[kernel: [')).toBe(true);
  }, 30_000);
  test('a long legitimate line is parsed as a short one is', () => {
    const text = `Killed process 1 (${'x'.repeat(10_000)})`;
    expect(parse(`Jan  2 15:04:05 node-1 kernel: [  12.345678] ${text}`)?.message).toBe(text);
  });
});
