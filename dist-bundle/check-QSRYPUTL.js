import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  createSemaphore
} from "./chunk-YRWJSJ5F.js";
import {
  plural
} from "./chunk-PM5IX2NG.js";
import {
  readMonitorFile
} from "./chunk-KQPGU6XH.js";
import "./chunk-ZRCJ5HBB.js";
import "./chunk-XA2EV36Q.js";
import {
  createRuleCheck
} from "./chunk-OC3SF7J5.js";
import {
  probeRegistry
} from "./chunk-BZMQKQPO.js";
import "./chunk-MLIL5XYT.js";
import "./chunk-S7FWY2NQ.js";
import "./chunk-JPM2ZRLH.js";
import "./chunk-PJ6YGIJQ.js";
import "./chunk-D4CIFBZN.js";
import "./chunk-SRGH6FON.js";

// ../../../work/wt/footprint/dist/src/app/check.js
async function checkConfigs(configs, ctx, concurrency = 4) {
  const semaphore = createSemaphore(concurrency);
  const signal = new AbortController().signal;
  const jobs = configs.flatMap((config) => config.rules.map((rule, i) => ({ config, rule, check: createRuleCheck(config, i, ctx) })));
  return Promise.all(jobs.map(async ({ config, rule, check }) => {
    await semaphore.acquire();
    let result;
    try {
      result = await check(signal);
    } finally {
      semaphore.release();
    }
    const def = config.conditions.find((c) => c.type === rule.condition);
    const permanent = rule.type === "permanent";
    return {
      source: config.source,
      file: config.file,
      kind: permanent ? "condition" : "event",
      name: permanent ? rule.condition ?? "" : rule.reason,
      status: result.status,
      reason: result.status === "problem" || !def ? rule.reason : def.reason,
      message: result.message,
      ...result.cause !== void 0 ? { cause: result.cause } : {}
    };
  }));
}
function formatCheckTable(rows) {
  const head = ["CHECK", "STATUS", "REASON", "MESSAGE"];
  const cells = rows.map((r) => [`${r.kind === "event" ? "event " : ""}${r.name}`, r.status.toUpperCase(), r.reason, r.message.replace(/\s*\n\s*/g, " ")]);
  const widths = [0, 1, 2].map((c) => Math.max(head[c]?.length ?? 0, ...cells.map((row) => row[c]?.length ?? 0)));
  const line = (row) => row.map((cell, c) => c < 3 ? cell.padEnd(widths[c] ?? 0) : cell).join("  ").trimEnd();
  const problems = rows.filter((r) => r.status === "problem").length;
  const unknown = rows.filter((r) => r.status === "unknown").length;
  const summary = `${plural(rows.length, "check")}: ${plural(problems, "problem")}, ${unknown} unknown`;
  return [line(head), ...cells.map(line), "", summary].join("\n");
}
async function runCheck(options) {
  const configs = [];
  for (const file of new Set(options.monitorFiles)) {
    const config = await readMonitorFile(file, { probeNames: Object.keys(probeRegistry) });
    if (config.kind === "probe")
      configs.push(config);
  }
  const rows = await checkConfigs(configs, options.ctx, options.concurrency);
  const exitCode = rows.some((r) => r.status === "problem") ? 1 : rows.some((r) => r.status === "unknown") ? 3 : 0;
  const output = options.json ? JSON.stringify({ problems: rows.filter((r) => r.status === "problem").length, results: rows }, null, 2) : formatCheckTable(rows);
  return { exitCode, output };
}
export {
  checkConfigs,
  formatCheckTable,
  runCheck
};
