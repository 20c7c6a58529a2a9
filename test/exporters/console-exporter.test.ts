/**
 * Standalone output goes to an operator's terminal: control characters from log lines (ESC, OSC,
 * NUL, C1, bidirectional overrides) are printed as escapes, never raw.
 */
import { createConsoleExporter, escapeControls } from '../../src/exporters/console-exporter.js';
import type { Status } from '../../src/core/problem.js';

const hostile = 'evil \x1b]0;pwned\x07 \x1b[2J\x00 \x9b31m \x7f \r \u202egnp.exe \ttab';
const time = new Date('2026-12-02T08:00:00Z');
const status: Status = {
  source: 'kernel-monitor',
  events: [{ severity: 'warn', time, reason: 'OOMKilling', message: `${hostile}\nsecond line` }],
  conditions: [{ type: 'KernelDeadlock', status: 'True', transition: time, reason: 'DockerHung', message: hostile }],
};
const terminalControls = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/;

function print(json: boolean): string[] {
  const lines: string[] = [];
  createConsoleExporter({ json, write: (l) => lines.push(l) }).export(status);
  return lines;
}

test('text output: every control character is a visible escape, tabs and match line breaks stay', () => {
  const lines = print(false);
  expect(lines).toHaveLength(2);
  for (const l of lines) expect(l).not.toMatch(terminalControls);
  expect(lines[0]).toBe(
    '2026-12-02T08:00:00.000Z event kernel-monitor severity=warn reason=OOMKilling: ' +
      'evil \\x1b]0;pwned\\x07 \\x1b[2J\\x00 \\x9b31m \\x7f \\x0d \\u202egnp.exe \ttab\n    second line',
  );
  expect(lines[1]).toContain('type=KernelDeadlock status=True reason=DockerHung: evil \\x1b]0;pwned\\x07');
});

test('JSON output: no raw control character, and it still parses back to the original text', () => {
  const lines = print(true);
  for (const l of lines) expect(l).not.toMatch(terminalControls);
  const event = JSON.parse(lines[0]!) as { message: string };
  expect(event.message).toBe(`${hostile}\nsecond line`);
});

test.each([
  ['plain text is unchanged', 'Killed process 4242 (java)', false, 'Killed process 4242 (java)'],
  ['ESC', '\x1b', false, '\\x1b'],
  ['NUL', '\x00', false, '\\x00'],
  ['CSI (C1)', '\x9b', false, '\\x9b'],
  ['line separator', '\u2028', false, '\\u2028'],
  ['DEL in JSON', '\x7f', true, '\\u007f'],
])('%s', (_name, text, json, escaped) => {
  expect(escapeControls(text, json)).toBe(escaped);
});

describe('conditions: printed when they change, not on every export', () => {
  const at = (s: string): Date => new Date(`2026-12-02T08:00:${s}Z`);
  const cond = (status: 'True' | 'False', reason: string, message: string, transition = at('00')): Status => ({
    source: 'kernel-monitor',
    events: [],
    conditions: [{ type: 'KernelDeadlock', status, transition, reason, message }],
  });

  test('the same condition again prints nothing; a new status, reason or message prints a line each', () => {
    const lines: string[] = [];
    const exporter = createConsoleExporter({ write: (l) => lines.push(l) });
    exporter.export(cond('False', 'KernelHasNoDeadlock', 'ok'));
    exporter.export(cond('False', 'KernelHasNoDeadlock', 'ok', at('05')));
    expect(lines).toHaveLength(1);
    exporter.export(cond('True', 'KernelHasNoDeadlock', 'ok'));
    exporter.export(cond('True', 'DockerHung', 'ok'));
    exporter.export(cond('True', 'DockerHung', 'task docker:7 blocked'));
    exporter.export(cond('True', 'DockerHung', 'task docker:7 blocked'));
    expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual([
      'condition kernel-monitor type=KernelDeadlock status=False reason=KernelHasNoDeadlock: ok',
      'condition kernel-monitor type=KernelDeadlock status=True reason=KernelHasNoDeadlock: ok',
      'condition kernel-monitor type=KernelDeadlock status=True reason=DockerHung: ok',
      'condition kernel-monitor type=KernelDeadlock status=True reason=DockerHung: task docker:7 blocked',
    ]);
  });

  test('two condition types are tracked apart', () => {
    const lines: string[] = [];
    const exporter = createConsoleExporter({ write: (l) => lines.push(l) });
    const both: Status = {
      source: 'kernel-monitor',
      events: [],
      conditions: [
        { type: 'KernelDeadlock', status: 'False', transition: at('00'), reason: 'A', message: 'm' },
        { type: 'ReadonlyFilesystem', status: 'False', transition: at('00'), reason: 'A', message: 'm' },
      ],
    };
    exporter.export(both);
    exporter.export(both);
    expect(lines).toHaveLength(2);
  });
});

test('the exporter is named console, is healthy, and writes to stdout by default: the lines of one export in one write', async () => {
  const written: string[] = [];
  const real = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => written.push(String(chunk)) > 0) as typeof process.stdout.write;
  try {
    const exporter = createConsoleExporter();
    expect(exporter.name).toBe('console');
    expect(exporter.healthy()).toBe(true);
    exporter.export(status);
    await exporter.stop();
  } finally {
    process.stdout.write = real;
  }
  expect(written).toHaveLength(1);
  const lines = written[0]?.split(/\n(?! )/) ?? [];
  expect(lines).toHaveLength(3); // two lines, each ending in \n (the message's own line break is indented)
  expect(lines[0]).toMatch(/^2026-12-02T08:00:00\.000Z event kernel-monitor severity=warn reason=OOMKilling: evil .*second line$/s);
  expect(lines[1]).toMatch(/ condition kernel-monitor type=KernelDeadlock /);
  expect(lines[2]).toBe('');
});
