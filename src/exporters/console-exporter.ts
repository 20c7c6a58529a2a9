/**
 * Standalone mode's exporter: prints every event and condition change on stdout, one line each, so an
 * operator running `npd run --standalone` on a node sees problems as they happen.
 */
import type { Exporter } from './exporter.js';
import type { Condition, MonitorDescription, Status } from '../core/problem.js';

/** Options of {@link createConsoleExporter}. */
export interface ConsoleExporterOptions {
  /** Where lines go. @default process.stdout */
  readonly write?: (line: string) => void;
  /** Print JSON objects instead of text. @default false */
  readonly json?: boolean;
}

/** Creates the console exporter. */
export function createConsoleExporter(options: ConsoleExporterOptions = {}): Exporter {
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const last = new Map<string, Condition>();
  const print = (kind: 'event' | 'condition', source: string, o: Record<string, unknown>): void => {
    if (options.json) return write(JSON.stringify({ kind, source, ...o }));
    const fields = Object.entries(o)
      .filter(([k]) => k !== 'message' && k !== 'time' && k !== 'transition')
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    const time = (o['time'] ?? o['transition']) as Date;
    write(`${time.toISOString()} ${kind} ${source} ${fields}: ${String(o['message']).replaceAll('\n', '\n    ')}`);
  };
  return {
    name: 'console',
    setMonitors(_monitors: readonly MonitorDescription[]) {},
    export(status: Status) {
      for (const e of status.events) print('event', status.source, { severity: e.severity, reason: e.reason, time: e.time, message: e.message });
      for (const c of status.conditions) {
        const prev = last.get(c.type);
        if (prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message) continue;
        last.set(c.type, c);
        print('condition', status.source, { type: c.type, status: c.status, reason: c.reason, transition: c.transition, message: c.message });
      }
    },
    healthy: () => true,
    stop: async () => {},
  };
}
