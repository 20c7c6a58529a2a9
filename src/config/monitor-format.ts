/**
 * The monitor-file format, defined once: NPD's system-log-monitor and custom-plugin-monitor JSON
 * (loaded unchanged; unknown fields are ignored as Go's encoding/json does) with npd-ts's extensions.
 * These tables drive the loader's checks (read-fields.ts, then parse-log-monitor.ts and
 * parse-probe-monitor.ts for what a table cannot say) and the JSON Schemas in config/schema/
 * (monitor-schema.ts; `npm run schemas` writes them, a test checks they are current).
 *
 * Checks beyond the tables, done by the parsers: patterns compile as RE2, condition types are
 * unique, a rule's `condition` is declared in `conditions`, `count` is not on a recovery rule,
 * filelog needs `logPath`, and a probe rule's `timeout` is at most `pluginConfig.timeout`.
 */
import type { FileSpec, ObjectSpec } from './field-spec.js';

/** `conditions[]`, the same in both kinds of file. */
const condition = {
  fields: {
    type: { type: 'string', required: true, description: 'Condition type on the Node (NPD/ACK names: KernelDeadlock, ReadonlyFilesystem…)' },
    reason: { type: 'string', required: true, description: 'Reason while the condition is False (healthy)' },
    message: { type: 'string', default: '', description: 'Message while the condition is False' },
    expireAfter: { type: 'duration', positive: true, description: 'npd-ts extension: a True condition returns to False after this long with no rule setting it again' },
  },
} as const satisfies ObjectSpec;

/** A rule of a log monitor: a pattern matched against the newest lines. */
const logRule = {
  fields: {
    type: { type: 'string', required: true, enum: ['temporary', 'permanent', 'recovery'], description: 'temporary: an Event per match; permanent: sets `condition` True; recovery (npd-ts extension): a match returns the condition to False' },
    condition: { type: 'string', requiredWhen: { field: 'type', in: ['permanent', 'recovery'] }, description: 'Required for permanent and recovery rules; must be declared in conditions' },
    reason: { type: 'string', requiredWhen: { field: 'type', in: ['temporary', 'permanent'] }, description: 'Reason of the Event or condition (a recovery rule: default "")' },
    pattern: { type: 'string', required: true, description: 'RE2 pattern; must match up to the end of the newest line (multi-line with \\n)' },
    patternGeneratedMessageSuffix: { type: 'string', description: 'Appended to the message of a match' },
    count: { type: 'integer', min: 1, max: 10_000, description: "npd-ts extension: fire only when the pattern matched this many times within window (less revertPattern matches); a permanent rule's condition returns to False when the count falls below" },
    window: { type: 'duration', positive: true, with: 'count', required: true, example: '20m', description: 'npd-ts extension, with count: the counting window' },
    revertPattern: { type: 'string', with: 'count', description: "npd-ts extension, with count: RE2 pattern whose matches take one off the count (log-counter's --revert-pattern)" },
  },
} as const satisfies ObjectSpec;

/** A system-log-monitor file (plugins kmsg, filelog, journald). */
export const logMonitorFormat = {
  title: 'npd-ts log monitor (NPD system-log-monitor format, extended)',
  schemaFile: 'system-log-monitor.schema.json',
  fields: {
    plugin: { type: 'string', required: true, enum: ['kmsg', 'filelog', 'journald'], description: 'Where lines come from: the kernel ring buffer, a log file, or the systemd journal' },
    pluginConfig: { type: 'stringMap', description: 'filelog: timestamp, message (RE2), timestampFormat (Go layout); journald: source (SYSLOG_IDENTIFIER)' },
    logPath: { type: 'string', description: 'Default /dev/kmsg (kmsg), /var/log/journal (journald); required for filelog' },
    lookback: { type: 'duration', default: '0', description: 'At start, read lines up to this long ago' },
    delay: { type: 'duration', default: '0', description: 'Skip lines logged within this long after boot' },
    skipList: { type: 'strings', description: 'Lines containing any of these substrings are dropped before matching' },
    bufferSize: { type: 'integer', min: 1, max: 1000, default: 10, description: 'How many of the newest lines a multi-line pattern may span' },
    source: { type: 'string', required: true, description: 'Source of the Events and conditions (NPD: kernel-monitor…)' },
    metricsReporting: { type: 'boolean', default: true, description: 'Count the problems in problem_counter and problem_gauge on /metrics' },
    conditions: { type: 'list', item: condition, description: 'The conditions this monitor owns, with their healthy state' },
    rules: { type: 'list', item: logRule, description: 'The patterns, in order' },
  },
} as const satisfies FileSpec;

/** `pluginConfig` of a custom-plugin-monitor file. */
const probePluginConfig = {
  fields: {
    invoke_interval: { type: 'duration', positive: true, default: '30s', description: 'How often each rule runs' },
    timeout: { type: 'duration', positive: true, default: '5s', description: 'How long a rule may run' },
    max_output_length: { type: 'integer', min: 1, max: 4096, default: 80, description: "Bytes of a plugin's output kept as the message" },
    concurrency: { type: 'integer', min: 1, max: 1000, default: 3, description: 'Rules running at once' },
    enable_message_change_based_condition_update: { type: 'boolean', default: false, description: 'Update a condition when only its message changes' },
    skip_initial_status: { type: 'boolean', default: false, description: 'Do not publish the conditions before the first run' },
  },
} as const satisfies ObjectSpec;

/** A rule of a probe monitor: an NPD custom plugin or a built-in probe. */
const probeRule = {
  name: 'rule',
  oneOf: ['path', 'probe'],
  fields: {
    type: { type: 'string', required: true, enum: ['temporary', 'permanent'], description: 'temporary: an Event when the check fails; permanent: sets `condition`' },
    condition: { type: 'string', requiredWhen: { field: 'type', in: ['permanent'] }, description: 'Required for permanent rules; must be declared in conditions' },
    reason: { type: 'string', required: true, description: 'Reason of the Event or condition' },
    path: { type: 'string', short: 'an executable', description: 'Executable of an NPD custom plugin (exit 0 OK, 1 problem, other unknown)' },
    args: { type: 'strings', description: 'Arguments of the executable' },
    probe: { type: 'string', short: 'a built-in probe', description: 'npd-ts extension: name of a built-in probe, instead of path' },
    options: { type: 'anyObject', description: 'Options of the built-in probe' },
    timeout: { type: 'duration', positive: true, description: 'At most pluginConfig.timeout (default: it)' },
    invoke_interval: { type: 'duration', positive: true, description: 'Default: pluginConfig.invoke_interval' },
  },
} as const satisfies ObjectSpec;

/** A custom-plugin-monitor file (plugin custom). */
export const probeMonitorFormat = {
  title: 'npd-ts probe monitor (NPD custom-plugin-monitor format, extended)',
  schemaFile: 'custom-plugin-monitor.schema.json',
  fields: {
    plugin: { type: 'string', required: true, enum: ['custom'], description: 'custom: runs checks on a schedule' },
    pluginConfig: { type: 'object', spec: probePluginConfig, description: 'How the checks run' },
    source: { type: 'string', required: true, description: 'Source of the Events and conditions (NPD: ntp-custom-plugin-monitor…)' },
    metricsReporting: { type: 'boolean', default: true, description: 'Count the problems in problem_counter and problem_gauge on /metrics' },
    conditions: { type: 'list', item: condition, description: 'The conditions this monitor owns, with their healthy state' },
    rules: { type: 'list', item: probeRule, description: 'The checks' },
  },
} as const satisfies FileSpec;

/** Every file format, for the schema writer. */
export const monitorFormats: readonly FileSpec[] = [logMonitorFormat, probeMonitorFormat];

/** Where each log plugin reads when `logPath` is not given (filelog: nowhere, so it is required). */
export const defaultLogPath: Readonly<Record<string, string | undefined>> = { kmsg: '/dev/kmsg', journald: '/var/log/journal', filelog: undefined };

/** NPD's plugin names: the log watchers and the custom plugin monitor. */
export const monitorPlugins: readonly string[] = [...logMonitorFormat.fields.plugin.enum, ...probeMonitorFormat.fields.plugin.enum].sort();
