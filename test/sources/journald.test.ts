import { cursorFilePath, journalctlArgs, journalctlExit } from '../../src/sources/journald.js';

describe('journalctlArgs', () => {
  test.each([
    ['first start, journal dir', { identifier: 'dockerd', logPath: '/var/log/journal', logPathIsFile: false, sinceMs: 1_767_225_600_999 },
      ['--no-pager', '-o', 'json', '--all', '--follow', '-D', '/var/log/journal', '--since', '@1767225600', 'SYSLOG_IDENTIFIER=dockerd']],
    ['resume from cursor, journal file', { identifier: 'kernel', logPath: '/x/y.journal', logPathIsFile: true, cursor: 's=1;i=2', sinceMs: 0 },
      ['--no-pager', '-o', 'json', '--all', '--follow', '--file', '/x/y.journal', '--after-cursor', 's=1;i=2', 'SYSLOG_IDENTIFIER=kernel']],
    ['system journal, no identifier', { sinceMs: 5000 }, ['--no-pager', '-o', 'json', '--all', '--follow', '--since', '@5']],
    ['shell metacharacters stay one argument', { identifier: 'a b;$(x)', sinceMs: 0 }, ['--no-pager', '-o', 'json', '--all', '--follow', '--since', '@0', 'SYSLOG_IDENTIFIER=a b;$(x)']],
  ])('%s', (_name, input, want) => expect(journalctlArgs(input)).toEqual(want));

  test('cursor file name is safe', () => {
    expect(cursorFilePath('/state', '../docker monitor')).toBe('/state/.._docker_monitor.cursor');
  });
});

describe('journalctlExit: why journalctl stopped, and whether there is no journal to read (waiting, not failing)', () => {
  const enoent = Object.assign(new Error('spawn journalctl ENOENT'), { code: 'ENOENT' });
  const eacces = Object.assign(new Error('spawn journalctl EACCES'), { code: 'EACCES' });
  test.each([
    ['no journalctl binary', { code: null, sig: null, error: enoent }, '', { why: 'spawn journalctl ENOENT', absent: true }],
    ['a binary that cannot run', { code: null, sig: null, error: eacces }, '', { why: 'spawn journalctl EACCES', absent: false }],
    ['killed', { code: null, sig: 'SIGKILL' as const }, '', { why: 'killed by SIGKILL', absent: false }],
    ['no journal files', { code: 1, sig: null }, 'x\nNo journal files were found.\n', { why: 'exited with 1 (No journal files were found.)', absent: true }],
    ['an unknown boot', { code: 1, sig: null }, 'Data from the specified boot (-1) is not available: No such boot ID in journal', { why: 'exited with 1 (Data from the specified boot (-1) is not available: No such boot ID in journal)', absent: true }],
    ['a missing journal file', { code: 1, sig: null }, 'Failed to open /x/y.journal: No such file or directory', { why: 'exited with 1 (Failed to open /x/y.journal: No such file or directory)', absent: true }],
    ['another failure, its last line said', { code: 1, sig: null }, 'first\nFailed to seek to cursor: Invalid argument\n', { why: 'exited with 1 (Failed to seek to cursor: Invalid argument)', absent: false }],
    ['an exit 0 is no absence', { code: 0, sig: null }, 'No journal files were found.', { why: 'exited with 0 (No journal files were found.)', absent: false }],
    ['nothing said', { code: 2, sig: null }, '  \n', { why: 'exited with 2', absent: false }],
  ])('%s', (_name, result, stderr, want) => {
    expect(journalctlExit(result, stderr)).toEqual(want);
  });
});

