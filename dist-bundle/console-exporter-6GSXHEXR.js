import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// ../../../work/wt/footprint/dist/src/exporters/console-exporter.js
var controls = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
function escapeControls(text, json = false) {
  return text.replace(controls, (c) => {
    const code = c.charCodeAt(0);
    return code < 256 && !json ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
function stdoutLines() {
  let pending = [];
  const flush = () => {
    if (pending.length === 0)
      return;
    const text = pending.join("");
    pending = [];
    process.stdout.write(text);
  };
  return {
    write(line) {
      if (pending.length === 0)
        queueMicrotask(flush);
      pending.push(`${line}
`);
    },
    flush
  };
}
function createConsoleExporter(options = {}) {
  const out = options.write ? { write: options.write, flush: () => {
  } } : stdoutLines();
  const { write } = out;
  const last = /* @__PURE__ */ new Map();
  const line = (time, kind, source, fields, message) => write(escapeControls(`${time.toISOString()} ${kind} ${source} ${fields}: ${message.replaceAll("\n", "\n    ")}`));
  const print = (kind, source, o) => {
    if (options.json)
      return write(escapeControls(JSON.stringify({ kind, source, ...o }), true));
    if (kind === "event")
      return line(o["time"], kind, source, `severity=${String(o["severity"])} reason=${String(o["reason"])}`, String(o["message"]));
    line(o["transition"], kind, source, `type=${String(o["type"])} status=${String(o["status"])} reason=${String(o["reason"])}`, String(o["message"]));
  };
  return {
    name: "console",
    setMonitors(_monitors) {
    },
    export(status) {
      for (const e of status.events)
        print("event", status.source, { severity: e.severity, reason: e.reason, time: e.time, message: e.message });
      for (const c of status.conditions) {
        const prev = last.get(c.type);
        if (prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message)
          continue;
        last.set(c.type, c);
        print("condition", status.source, { type: c.type, status: c.status, reason: c.reason, transition: c.transition, message: c.message });
      }
    },
    healthy: () => true,
    stop: async () => out.flush()
  };
}
export {
  createConsoleExporter,
  escapeControls
};
