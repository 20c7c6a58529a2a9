import { cursorFilePath, journalctlArgs } from '../../src/sources/journald.js';

describe('journalctlArgs', () => {
  test.each([
    ['first start, journal dir', { identifier: 'dockerd', logPath: '/var/log/journal', logPathKind: 'directory' as const, sinceMs: 1_767_225_600_999 },
      ['--no-pager', '-o', 'json', '--all', '--follow', '-D', '/var/log/journal', '--since', '@1767225600', 'SYSLOG_IDENTIFIER=dockerd']],
    ['resume from cursor, journal file', { identifier: 'kernel', logPath: '/x/y.journal', logPathKind: 'file' as const, cursor: 's=1;i=2', sinceMs: 0 },
      ['--no-pager', '-o', 'json', '--all', '--follow', '--file', '/x/y.journal', '--after-cursor', 's=1;i=2', 'SYSLOG_IDENTIFIER=kernel']],
    ['system journal, no identifier', { sinceMs: 5000 }, ['--no-pager', '-o', 'json', '--all', '--follow', '--since', '@5']],
    ['shell metacharacters stay one argument', { identifier: 'a b;$(x)', sinceMs: 0 }, ['--no-pager', '-o', 'json', '--all', '--follow', '--since', '@0', 'SYSLOG_IDENTIFIER=a b;$(x)']],
  ])('%s', (_name, input, want) => expect(journalctlArgs(input)).toEqual(want));

  test('cursor file name is safe', () => {
    expect(cursorFilePath('/state', '../docker monitor')).toBe('/state/.._docker_monitor.cursor');
  });
});
