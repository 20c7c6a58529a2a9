#!/usr/bin/env -S node --disable-sigusr1 --enable-experimental-regexp-engine-on-excessive-backtracks
import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  readSettings,
  runFlags
} from "./chunk-JZ74P3CE.js";
import {
  createLogger,
  silentLogger
} from "./chunk-J6AMBY67.js";
import {
  resolveMonitorFiles
} from "./chunk-K7CDSUTY.js";
import {
  enableLinearRegexpEngine
} from "./chunk-ZRCJ5HBB.js";
import "./chunk-XA2EV36Q.js";
import {
  systemClock
} from "./chunk-S7FWY2NQ.js";
import {
  ConfigError,
  errorMessage
} from "./chunk-JPM2ZRLH.js";

// ../../../work/wt/footprint/dist/src/app/npd.js
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// ../../../work/wt/footprint/dist/src/app/cli.js
import { resolve } from "node:path";

// ../../../work/wt/footprint/dist/src/app/run-command-line.js
function flagTable(paths) {
  const table = /* @__PURE__ */ new Map();
  for (const spec of runFlags(paths)) {
    const [long = "", arg = ""] = spec.flags.split(" ");
    const negated = long.startsWith("--no-");
    const key = long.slice(negated ? 5 : 2).replace(/-([^-])/g, (_, c) => c.toUpperCase());
    table.set(long, { spec, key, value: arg.startsWith("<") ? "required" : arg.startsWith("[") ? "optional" : "none", negated });
  }
  return table;
}
function parseRunCommandLine(argv, paths) {
  const args = argv[0] === "run" ? argv.slice(1) : argv;
  const table = flagTable(paths);
  const values = {};
  for (const f of table.values())
    if (f.spec.default)
      values[f.key] = f.spec.default.value;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const flag = arg.startsWith("--") ? table.get(name) : void 0;
    if (!flag)
      return void 0;
    let value;
    if (eq >= 0) {
      if (flag.value === "none")
        return void 0;
      value = arg.slice(eq + 1);
    } else if (flag.value === "required") {
      value = args[++i];
      if (value === void 0)
        return void 0;
    } else if (flag.value === "optional") {
      const next = args[i + 1];
      if (next !== void 0 && next.startsWith("-") && !next.startsWith("--"))
        return void 0;
      if (next !== void 0 && !next.startsWith("--"))
        value = args[++i];
    }
    const { parse } = flag.spec;
    values[flag.key] = value === void 0 ? !flag.negated : parse ? parse(name, value, values[flag.key]) : value;
  }
  return readSettings({ command: "run", values, args: [] });
}

// ../../../work/wt/footprint/dist/src/app/cli.js
var exitCodes = { ok: 0, problem: 1, usage: 2, unknown: 3 };
async function run(settings, signal) {
  const { runAgent } = await import("./run-SRO2N3SG.js");
  await runAgent(settings, { signal });
}
async function check(settings, output) {
  const { runCheck } = await import("./check-QSRYPUTL.js");
  const { noopTelemetry } = await import("./telemetry-PVDJFN3C.js");
  const logger = createLogger({ level: settings.logLevel });
  const { monitors } = await resolveMonitorFiles(settings, settings.customPluginMonitors);
  const result = await runCheck({
    monitorFiles: monitors,
    ctx: { procRoot: settings.procPath, clock: systemClock, logger, telemetry: noopTelemetry, fetch: globalThis.fetch },
    json: settings.json
  });
  output.out(`${result.output}
`);
  return result.exitCode;
}
async function replay(settings, output) {
  const { runReplay, formatReplay } = await import("./replay-CY6FCV3B.js");
  let monitors = settings.monitors?.map((f) => resolve(f));
  if (!monitors) {
    const { readMonitorFile } = await import("./load-monitor-4RAFG5I3.js");
    const all = (await resolveMonitorFiles(settings, [])).monitors;
    const configs = await Promise.all(all.map((f) => readMonitorFile(f)));
    monitors = configs.filter((c) => c.kind === "log").map((c) => c.file);
  }
  const result = await runReplay({
    monitorFiles: monitors,
    logFiles: settings.logFiles.map((f) => resolve(f)),
    pods: { podsLogDir: settings.podsLogDir, containersLogDir: settings.containersLogDir }
  });
  output.out(formatReplay(result));
  return exitCodes.ok;
}
async function validate(settings, output) {
  const { validateFiles } = await import("./load-monitor-4RAFG5I3.js");
  const { createRuleCheck } = await import("./rule-check-SSDWTPEC.js");
  const { probeRegistry } = await import("./registry-FICUZHRE.js");
  const { noopTelemetry } = await import("./telemetry-PVDJFN3C.js");
  const ctx = { procRoot: "/proc", clock: systemClock, logger: silentLogger, telemetry: noopTelemetry, fetch: globalThis.fetch };
  const result = await validateFiles([...settings.files], { probeNames: Object.keys(probeRegistry), checkPaths: true }, (m) => {
    if (m.kind === "probe")
      m.rules.forEach((_, i) => createRuleCheck(m, i, ctx));
  });
  for (const m of result.messages)
    (result.ok ? output.out : output.err)(`${m}
`);
  return result.ok ? exitCodes.ok : exitCodes.usage;
}
async function execute(argv, env) {
  const { signal, output } = env;
  try {
    const invocation = parseRunCommandLine(argv, env.paths) ?? (await import("./command-line-MM73WOJN.js")).parseCommandLine(argv, env.paths);
    switch (invocation.command) {
      case "info":
        output.out(invocation.output);
        return exitCodes.ok;
      case "run":
        await run(invocation.settings, signal);
        return exitCodes.ok;
      case "check":
        return await check(invocation.settings, output);
      case "replay":
        return await replay(invocation.settings, output);
      case "validate":
        return await validate(invocation.settings, output);
    }
  } catch (err) {
    output.err(`npd: ${errorMessage(err)}
`);
    return err instanceof ConfigError ? exitCodes.usage : exitCodes.problem;
  }
}

// ../../../work/wt/footprint/dist/src/app/npd.js
function packageRoot(dir) {
  const parent = dirname(dir);
  return existsSync(join(dir, "package.json")) || parent === dir ? dir : packageRoot(parent);
}
async function main() {
  process.on("SIGUSR1", () => createLogger().warn("SIGUSR1 ignored: the inspector is disabled in the agent"));
  enableLinearRegexpEngine();
  const root = packageRoot(dirname(fileURLToPath(import.meta.url)));
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  const controller = new AbortController();
  const stop = (sig) => controller.abort(new Error(sig));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  const output = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) };
  process.exitCode = await execute(process.argv.slice(2), { signal: controller.signal, output, paths: { root, version } });
}
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1]))
  await main();
