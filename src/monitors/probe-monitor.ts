/**
 * The probe monitor: NPD's custom-plugin-monitor semantics over {@link Check}s (exec plugins and
 * built-in probes alike).
 *
 * - Scheduling: every rule runs once at start; then each rule on its own interval grid
 *   (`start + k·intervalMs`). A rule never overlaps itself; a run that overruns its interval gets
 *   one catch-up run and the other missed ticks are dropped (NPD's ticker). A semaphore of size
 *   `concurrency` bounds runs across all rules. All timing is on `ctx.clock`.
 * - Status: permanent rule → condition via {@link transition} (ok → False, problem → True,
 *   unknown → Unknown); temporary rule → a Warning event when the result is a problem.
 *   Differs from NPD: an unknown result of a temporary rule emits no event (NPD emits one, so a node
 *   without nf_conntrack would get a "ConntrackFull" event every 30 s); it is logged and counted as
 *   a failed run instead.
 * - Several permanent rules on one condition: the worst latest result across them wins
 *   (problem > unknown > ok; first rule in file order among equals), so they no longer overwrite
 *   each other (differs from NPD, #566/#664).
 * - `skipInitialStatus`: no initial report, and a condition is left out of reports until a rule
 *   has decided it, so the Node keeps its previous state meanwhile (#304).
 */
import type { ConditionConfig, ProbeMonitorConfig, ProbeRuleConfig } from '../config/monitor-config.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { Check, ProbeContext, ProbeResult } from '../probes/probe.js';
import { defaultCondition, transition, type Condition, type ConditionStatus, type Event } from '../core/problem.js';
import { describeMonitor } from './describe-monitor.js';
import type { Monitor, MonitorHealth, StatusSink } from './monitor.js';
import { createRuleCheck, ruleLabel } from './rule-check.js';
import { createSemaphore } from './probe-semaphore.js';

/** What {@link createProbeMonitor} needs besides its config. */
export interface ProbeMonitorDeps {
  readonly ctx: ProbeContext;
  /** Checks to run instead of building them from the rules, index-aligned with `config.rules` (tests). */
  readonly checks?: readonly Check[];
  /** The Node's current conditions (agent restart): start from these instead of False. */
  readonly initialConditions?: readonly Condition[];
}

const rank: Record<ProbeResult['status'], number> = { ok: 0, unknown: 1, problem: 2 };
const conditionStatus: Record<ProbeResult['status'], ConditionStatus> = { ok: 'False', problem: 'True', unknown: 'Unknown' };

/**
 * Creates the monitor of one custom-plugin-monitor file. Builds every check now, so a bad probe
 * name or option throws ConfigError here, at load.
 */
export function createProbeMonitor(config: ProbeMonitorConfig, deps: ProbeMonitorDeps): Monitor {
  const { ctx } = deps;
  const logger = ctx.logger.child({ monitor: config.source });
  const defs = new Map<string, ConditionConfig>(config.conditions.map((c) => [c.type, c]));
  config.rules.forEach((r, i) => {
    if (r.type === 'permanent' && (r.condition === undefined || !defs.has(r.condition))) {
      throw new ConfigError(config.file, `rules[${i}].condition`, `permanent rule's condition ${JSON.stringify(r.condition)} is not declared in conditions`);
    }
  });
  const checks = config.rules.map((_, i) => deps.checks?.[i] ?? createRuleCheck(config, i, ctx));
  const description = describeMonitor(config);
  let health: MonitorHealth = { ok: true, detail: 'not started' };

  async function run(sink: StatusSink, signal: AbortSignal): Promise<void> {
    const start = ctx.clock.now();
    const conditions = new Map<string, Condition>();
    for (const def of config.conditions) {
      const given = deps.initialConditions?.find((c) => c.type === def.type);
      conditions.set(def.type, given ?? defaultCondition(def, new Date(start)));
    }
    const reported = new Set<string>(config.skipInitialStatus ? [] : conditions.keys());
    const latest: (ProbeResult | undefined)[] = config.rules.map(() => undefined);
    const semaphore = createSemaphore(config.concurrency);
    // Settles when the monitor stops (no rule loop starts if it already has), so a check that ignores
    // the signal cannot keep run() from returning; that run's result is dropped.
    const stopped = new Promise<undefined>((resolve) => signal.addEventListener('abort', () => resolve(undefined), { once: true }));
    const current = (): Condition[] => config.conditions.filter((d) => reported.has(d.type)).map((d) => conditions.get(d.type) as Condition);
    const report = (events: Event[]): void => {
      try {
        sink({ source: config.source, events, conditions: current() });
      } catch (err) {
        logger.error('status sink failed', { error: errorMessage(err) });
      }
    };
    health = { ok: true, detail: 'running' };
    if (!config.skipInitialStatus) report([]);

    const apply = (index: number, result: ProbeResult): void => {
      const rule = config.rules[index] as ProbeRuleConfig;
      const time = new Date(ctx.clock.now());
      if (rule.type === 'temporary') {
        if (result.status === 'problem') {
          const onPods = (result.podEvents ?? []).map((p) => ({ severity: 'warn' as const, time, reason: rule.reason, message: p.message, pod: p.pod }));
          report([{ severity: 'warn', time, reason: rule.reason, message: result.message }, ...onPods]);
        }
        return;
      }
      latest[index] = result;
      const type = rule.condition as string;
      let worst: number | undefined;
      config.rules.forEach((r, i) => {
        const res = latest[i];
        if (r.condition !== type || !res) return; // only permanent rules have a latest result
        if (worst === undefined || rank[res.status] > rank[(latest[worst] as ProbeResult).status]) worst = i;
      });
      const winner = latest[worst as number] as ProbeResult;
      const obs = { status: conditionStatus[winner.status], reason: (config.rules[worst as number] as typeof rule).reason, message: winner.message, time };
      const before = conditions.get(type) as Condition;
      const { condition, event } = transition(before, defs.get(type) as ConditionConfig, obs, { messageChangeUpdates: config.messageChangeUpdates });
      conditions.set(type, condition);
      const newlyReported = !reported.has(type);
      reported.add(type);
      if (event || newlyReported) report(event ? [event] : []);
    };

    const runOnce = async (index: number): Promise<void> => {
      const rule = config.rules[index] as ProbeRuleConfig;
      const check = checks[index] as Check;
      await semaphore.acquire(signal);
      const began = ctx.clock.now();
      let outcome: ProbeResult | undefined;
      try {
        const now = rule.type === 'permanent' ? conditions.get(rule.condition as string) : undefined;
        const prior = { problem: now?.status === 'True' && now.reason === rule.reason };
        outcome = await Promise.race([check(signal, prior), stopped]);
      } catch (err) {
        logger.error('check failed', { rule: ruleLabel(rule), error: errorMessage(err) });
        outcome = { status: 'unknown', cause: 'CheckError', message: `check failed: ${errorMessage(err)}` };
      } finally {
        semaphore.release();
      }
      if (signal.aborted) return; // a run ended by the stop is neither counted nor reported
      const result = outcome as ProbeResult; // undefined only when stopped
      const seconds = (ctx.clock.now() - began) / 1000;
      const ok = result.status !== 'unknown';
      ctx.telemetry.probeRun(config.source, ruleLabel(rule), ok, seconds);
      health = { ok: true, detail: 'running', lastRunOk: ok, lastRunSeconds: seconds };
      if (!ok) (result.cause === 'NoData' ? logger.debug : logger.warn).call(logger, 'check result unknown', { rule: ruleLabel(rule), cause: result.cause, message: result.message });
      apply(index, result);
    };

    const loop = async (index: number): Promise<void> => {
      const interval = (config.rules[index] as (typeof config.rules)[number]).intervalMs;
      let tick = start;
      // Once stopped, the loop ends at its test or at the sleep, which rejects.
      while (!signal.aborted) {
        await runOnce(index);
        const now = ctx.clock.now();
        if (tick + interval <= now) {
          // Overran: one catch-up run now; the other missed ticks are dropped.
          tick = start + Math.floor((now - start) / interval) * interval;
          continue;
        }
        tick += interval;
        await ctx.clock.sleep(tick - now, signal);
      }
    };

    await Promise.all(config.rules.map((_, i) => loop(i).catch((err: unknown) => {
      if (!signal.aborted) logger.error('rule loop stopped', { rule: i, error: errorMessage(err) });
    })));
    health = { ok: true, detail: 'stopped' };
  }

  return { description, run, health: () => health };
}
