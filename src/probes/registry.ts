/**
 * The built-in probes by name (STYLE rule 9: a literal table). Each factory checks its rule's
 * `options` at load, throwing ConfigError naming the field, and returns a {@link Check}.
 *
 * Watermark checks (fd, pid, inodes, conntrack, memleak, and the counts cgroups and dentry) keep
 * their hysteresis state in the closure: `wasProblem` is the last non-unknown result of this check,
 * so one rule = one state; an unknown result keeps it. Until the first such result it comes from
 * the monitor's prior (the condition carried over a restart).
 */
import { ConfigError, stripUrlAuth } from '../core/errors.js';
import { probeCgroups } from './cgroups.js';
import { probeConntrack } from './conntrack.js';
import { createDeadline } from './deadline.js';
import { probeDentry } from './dentry.js';
import { probeFd } from './fd.js';
import { probeInodes } from './inodes.js';
import { probeInstanceExpiry } from './instance-expiry.js';
import { probeMemfrag } from './memfrag.js';
import { probeMemleak } from './memleak.js';
import { probeNtp, timeDaemonNames } from './ntp.js';
import { readOptions, type OptionReader, type OptionsWhere } from './option-reader.js';
import { probePid } from './pid.js';
import type { Check, ProbeContext, ProbeFactory, ProbeResult } from './probe.js';
import { commMaxLength, probeProcess } from './process.js';
import { parseTarget, probePublicNetwork, tcpConnect, type NetworkTarget } from './public-network.js';
import { probeRamRole } from './ram-role.js';
import { checkRuntime, probeRuntime, type RuntimeEndpoint } from './runtime.js';

const watermarkKeys = ['thresholdPercent', 'clearPercent'];

function readLimits(opts: OptionReader, probe: string, fallback: number): { thresholdPercent: number; clearPercent: number } {
  const thresholdPercent = opts.percent('thresholdPercent', fallback);
  const clearPercent = opts.optionalPercent('clearPercent') ?? Math.max(1, thresholdPercent - 5);
  if (clearPercent > thresholdPercent) opts.fail('clearPercent', `must not be above ${probe}.thresholdPercent (${thresholdPercent}), got ${clearPercent}`);
  return { thresholdPercent, clearPercent };
}

/** A watermark check: runs `probe` with the remembered state and publishes the ratio. */
function watermarkCheck<L extends object>(
  ctx: ProbeContext,
  resource: string,
  limits: L,
  probe: (limits: L & { wasProblem: boolean }) => Promise<ProbeResult & { mounts?: readonly { mountPoint: string; ratio: number }[] }>,
): Check {
  let wasProblem: boolean | undefined;
  return async (_signal, prior) => {
    const result = await probe({ ...limits, wasProblem: wasProblem ?? prior?.problem ?? false });
    if (result.status !== 'unknown') wasProblem = result.status === 'problem';
    if (result.mounts) for (const m of result.mounts) ctx.telemetry.watermark(resource, m.mountPoint, m.ratio);
    else if (result.ratio !== undefined) ctx.telemetry.watermark(resource, 'node', result.ratio);
    return result;
  };
}

function fd(options: Readonly<Record<string, unknown>>, ctx: ProbeContext, where: OptionsWhere): Check {
  const limits = readLimits(readOptions('fd', options, watermarkKeys, where), 'fd', 80);
  return watermarkCheck(ctx, 'fd', limits, (l) => probeFd(ctx.procRoot, l));
}

function pid(options: Readonly<Record<string, unknown>>, ctx: ProbeContext, where: OptionsWhere): Check {
  const limits = readLimits(readOptions('pid', options, watermarkKeys, where), 'pid', 85);
  return watermarkCheck(ctx, 'pid', limits, (l) => probePid(ctx.procRoot, l));
}

function inodes(options: Readonly<Record<string, unknown>>, ctx: ProbeContext, where: OptionsWhere): Check {
  const opts = readOptions('inodes', options, [...watermarkKeys, 'mountPoints'], where);
  const limits = readLimits(opts, 'inodes', 80);
  const mountPoints = opts.strings('mountPoints', ['/']);
  return watermarkCheck(ctx, 'inodes', limits, (l) => probeInodes(mountPoints, l));
}

function conntrack(options: Readonly<Record<string, unknown>>, ctx: ProbeContext, where: OptionsWhere): Check {
  const limits = readLimits(readOptions('conntrack', options, watermarkKeys, where), 'conntrack', 90);
  return watermarkCheck(ctx, 'conntrack', limits, (l) => probeConntrack(ctx.procRoot, l));
}

function memleak(options: Readonly<Record<string, unknown>>, ctx: ProbeContext, where: OptionsWhere): Check {
  const opts = readOptions('memleak', options, [...watermarkKeys, 'minMiB'], where);
  const limits = { ...readLimits(opts, 'memleak', 15), minMiB: opts.integer('minMiB', 800, 0) };
  return watermarkCheck(ctx, 'slab-unreclaimable', limits, (l) => probeMemleak(ctx.procRoot, l));
}

function cgroups(options: Readonly<Record<string, unknown>>, ctx: ProbeContext, where: OptionsWhere): Check {
  const opts = readOptions('cgroups', options, ['max', 'controllers'], where);
  const max = opts.integer('max', 1000, 1);
  const controllers = opts.strings('controllers', ['memory', 'cpuacct']);
  return watermarkCheck(ctx, 'cgroups', { max }, (l) => probeCgroups(ctx.procRoot, controllers, l));
}

function dentry(options: Readonly<Record<string, unknown>>, ctx: ProbeContext, where: OptionsWhere): Check {
  const max = readOptions('dentry', options, ['max'], where).integer('max', 100_000_000, 1);
  return watermarkCheck(ctx, 'dentry', { max }, (l) => probeDentry(ctx.procRoot, l));
}

function memfrag(options: Readonly<Record<string, unknown>>, ctx: ProbeContext, where: OptionsWhere): Check {
  const opts = readOptions('memfrag', options, ['minMemoryGiB', 'minOrder', 'minBlocks'], where);
  const limits = { minMemoryGiB: opts.integer('minMemoryGiB', 4, 0), minOrder: opts.integer('minOrder', 4, 0, 10), minBlocks: opts.integer('minBlocks', 100, 1) };
  return () => probeMemfrag(ctx.procRoot, limits);
}

/** Process names as `comm` shows them: longer names could never match, so they are refused. */
function readCommNames(opts: OptionReader, name: string, fallback?: readonly string[]): readonly string[] {
  const names = opts.strings(name, fallback);
  const long = names.find((n) => n.length > commMaxLength);
  if (long !== undefined) {
    opts.fail(name, `entries must be at most ${commMaxLength} characters, as the kernel cuts comm (use ${JSON.stringify(long.slice(0, commMaxLength))}), got ${JSON.stringify(long)}`);
  }
  return names;
}

function ntp(options: Readonly<Record<string, unknown>>, ctx: ProbeContext, where: OptionsWhere): Check {
  const daemons = readCommNames(readOptions('ntp', options, ['daemons'], where), 'daemons', timeDaemonNames);
  return () => probeNtp(ctx.procRoot, daemons);
}

function processProbe(options: Readonly<Record<string, unknown>>, ctx: ProbeContext, where: OptionsWhere): Check {
  const names = readCommNames(readOptions('process', options, ['names'], where), 'names');
  return () => probeProcess(ctx.procRoot, names);
}

/** Runs `run` under a deadline of `ms` on the context's clock. */
function withTimeout(ctx: ProbeContext, ms: number, run: (signal: AbortSignal) => Promise<ProbeResult>): Check {
  return async (signal) => {
    const deadline = createDeadline(ctx.clock, ms, signal);
    try {
      return await run(deadline.signal);
    } finally {
      deadline.done();
    }
  };
}

function publicNetwork(options: Readonly<Record<string, unknown>>, ctx: ProbeContext, where: OptionsWhere): Check {
  const opts = readOptions('public-network', options, ['targets', 'timeout'], where);
  const targets: NetworkTarget[] = opts.strings('targets').map((t) => parseTarget(t) ?? opts.fail('targets', `must be "host:port" entries, got ${JSON.stringify(t)}`));
  const timeoutMs = opts.duration('timeout', 5000);
  return withTimeout(ctx, timeoutMs, (signal) => probePublicNetwork(targets, tcpConnect, signal));
}

/** The metadata service origin of ram-role and instance-expiry. */
function readEndpoint(opts: OptionReader): string {
  const endpoint = opts.string('endpoint');
  if (!/^https?:\/\/[^/\s]+\/?$/.test(endpoint)) opts.fail('endpoint', `must be an http(s) origin like "http://host", got ${JSON.stringify(stripUrlAuth(endpoint))}`);
  return endpoint;
}

function ramRole(options: Readonly<Record<string, unknown>>, ctx: ProbeContext, where: OptionsWhere): Check {
  const opts = readOptions('ram-role', options, ['endpoint', 'timeout'], where);
  const endpoint = readEndpoint(opts);
  const timeoutMs = opts.duration('timeout', 5000);
  return withTimeout(ctx, timeoutMs, (signal) => probeRamRole(endpoint, ctx.fetch, signal));
}

function instanceExpiry(options: Readonly<Record<string, unknown>>, ctx: ProbeContext, where: OptionsWhere): Check {
  const opts = readOptions('instance-expiry', options, ['endpoint', 'timeout'], where);
  const endpoint = readEndpoint(opts);
  const timeoutMs = opts.duration('timeout', 5000);
  return withTimeout(ctx, timeoutMs, (signal) => probeInstanceExpiry(endpoint, ctx.fetch, signal));
}

function runtime(options: Readonly<Record<string, unknown>>, ctx: ProbeContext, where: OptionsWhere): Check {
  const opts = readOptions('runtime', options, ['dockerSocket', 'containerdSocket', 'timeout'], where);
  const endpoints: RuntimeEndpoint[] = [
    { runtime: 'docker', socket: opts.string('dockerSocket', '/var/run/docker.sock') },
    { runtime: 'containerd', socket: opts.string('containerdSocket', '/run/containerd/containerd.sock') },
  ];
  const timeoutMs = opts.duration('timeout', 10_000);
  return withTimeout(ctx, timeoutMs, (signal) => probeRuntime(endpoints, checkRuntime, signal));
}

/** Every built-in probe, by the name a rule's `probe` field uses. */
export const probeRegistry = {
  fd,
  pid,
  inodes,
  ntp,
  'public-network': publicNetwork,
  'ram-role': ramRole,
  runtime,
  conntrack,
  memleak,
  cgroups,
  dentry,
  memfrag,
  process: processProbe,
  'instance-expiry': instanceExpiry,
} satisfies Record<string, ProbeFactory>;

/** Name of a built-in probe. */
export type ProbeName = keyof typeof probeRegistry;

/** The factory for `name`, or ConfigError listing the known names. */
export function probeFactory(name: string, where: OptionsWhere): ProbeFactory {
  if (Object.hasOwn(probeRegistry, name)) return probeRegistry[name as ProbeName];
  throw new ConfigError(where.file, where.field, `unknown probe ${JSON.stringify(name)} (known: ${Object.keys(probeRegistry).join(', ')})`);
}
