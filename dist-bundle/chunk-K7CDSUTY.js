import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  parseJson
} from "./chunk-XA2EV36Q.js";
import {
  ConfigError,
  errorMessage
} from "./chunk-JPM2ZRLH.js";

// ../../../work/wt/footprint/dist/src/app/monitor-files.js
import { resolve as resolve2 } from "node:path";

// ../../../work/wt/footprint/dist/src/config/load-profile.js
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, isAbsolute, join, resolve } from "node:path";
var profileKeys = ["description", "extends", "monitors"];
function isPath(nameOrPath) {
  return nameOrPath.includes("/") || nameOrPath.endsWith(".json");
}
async function knownProfiles(configDir) {
  try {
    const names = await readdir(configDir);
    return names.filter((n) => n.endsWith(".json") && !n.endsWith(".schema.json")).map((n) => n.slice(0, -5)).sort();
  } catch {
    return [];
  }
}
async function load(nameOrPath, options, chain, read) {
  const file = isPath(nameOrPath) ? resolve(nameOrPath) : join(options.configDir, `${nameOrPath}.json`);
  if (chain.includes(file))
    throw new ConfigError(file, "extends", `profiles extend each other in a loop: ${[...chain, file].map((f) => basename(f, ".json")).join(" \u2192 ")}`);
  let text;
  read.push(file);
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if (!isPath(nameOrPath) && err.code === "ENOENT") {
      const known = await knownProfiles(options.configDir);
      throw new ConfigError(nameOrPath, "", `unknown profile ${JSON.stringify(nameOrPath)}; known: ${known.join(", ") || "none"} (in ${options.configDir})`);
    }
    throw new ConfigError(file, "", `cannot read profile: ${errorMessage(err)}`, { cause: err });
  }
  const doc = parseJson(text, file);
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new ConfigError(file, "", "a profile must be a JSON object");
  const obj = doc;
  for (const key of Object.keys(obj)) {
    if (!profileKeys.includes(key))
      throw new ConfigError(file, key, `unknown field; known: ${profileKeys.join(", ")}`);
  }
  if (obj.description !== void 0 && typeof obj.description !== "string")
    throw new ConfigError(file, "description", "must be a string");
  const parent = obj.extends;
  if (parent !== void 0 && (typeof parent !== "string" || parent === ""))
    throw new ConfigError(file, "extends", `must be a profile name, got ${JSON.stringify(parent)}`);
  const monitors = obj.monitors ?? [];
  if (!Array.isArray(monitors))
    throw new ConfigError(file, "monitors", "must be a list of monitor file names");
  if (monitors.length === 0 && parent === void 0)
    throw new ConfigError(file, "monitors", 'a profile without "extends" must list at least one monitor');
  const own = [];
  for (const [i, m] of monitors.entries()) {
    if (typeof m !== "string" || m === "")
      throw new ConfigError(file, `monitors[${i}]`, `must be a file name, got ${JSON.stringify(m)}`);
    const path = isAbsolute(m) ? m : resolve(options.monitorsDir, m);
    try {
      if (!(await stat(path)).isFile())
        throw new Error("not a file");
    } catch {
      throw new ConfigError(file, `monitors[${i}]`, `no such monitor file: ${path}`);
    }
    own.push(path);
  }
  const inherited = parent === void 0 ? [] : await load(parent, options, [...chain, file], read);
  return [...inherited, ...own];
}
async function readProfile(nameOrPath, options) {
  const read = [];
  const files = await load(nameOrPath, options, [], read);
  return { name: isPath(nameOrPath) ? basename(nameOrPath, ".json") : nameOrPath, monitorFiles: [...new Set(files)], profileFiles: read };
}

// ../../../work/wt/footprint/dist/src/app/monitor-files.js
async function resolveMonitorFiles(settings, explicit) {
  const named = explicit.map((f) => resolve2(f));
  const profileName = settings.profile ?? (named.length === 0 ? "default" : void 0);
  const profile = profileName ? await readProfile(profileName, { configDir: settings.configDir, monitorsDir: settings.monitorsDir }) : void 0;
  return { monitors: [.../* @__PURE__ */ new Set([...profile?.monitorFiles ?? [], ...named])], profiles: profile?.profileFiles ?? [] };
}

export {
  resolveMonitorFiles
};
