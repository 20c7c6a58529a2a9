import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  ConfigError
} from "./chunk-JPM2ZRLH.js";

// ../../../work/wt/footprint/dist/src/config/parse-json.js
var isSpace = (c) => c === " " || c === "	" || c === "\n" || c === "\r";
var numberAt = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
var escapeAt = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
function findJsonSyntaxFault(text) {
  let i = 0;
  const open = [];
  const got = () => {
    const c = text[i];
    if (c === void 0)
      return ", got the end of the file";
    return `{}[],:"'`.includes(c) ? `, got '${c}'` : "";
  };
  const fault = (expected) => ({ offset: i, problem: `expected ${expected}${got()}` });
  const skipSpace = () => {
    while (isSpace(text[i]))
      i++;
  };
  const readString = () => {
    const start = i++;
    for (; ; ) {
      const c = text[i];
      if (c === void 0)
        return { offset: start, problem: "unterminated string" };
      if (c === '"')
        return void i++;
      if (c < " ")
        return { offset: i, problem: `control character U+${c.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()} in a string` };
      if (c === "\\") {
        escapeAt.lastIndex = i;
        if (!escapeAt.test(text))
          return { offset: i, problem: "invalid escape in a string" };
        i = escapeAt.lastIndex;
      } else
        i++;
    }
  };
  let state = "value";
  for (; ; ) {
    skipSpace();
    const c = text[i];
    if (state === "value") {
      if (c === "{" || c === "[") {
        open.push(c);
        i++;
        skipSpace();
        const close = c === "{" ? "}" : "]";
        if (text[i] === close) {
          open.pop();
          i++;
          state = "after";
        } else
          state = c === "{" ? "key" : "value";
        continue;
      }
      if (c === '"') {
        const f = readString();
        if (f)
          return f;
      } else if (c !== void 0 && (c === "-" || c >= "0" && c <= "9")) {
        numberAt.lastIndex = i;
        if (!numberAt.test(text))
          return { offset: i, problem: "invalid number" };
        i = numberAt.lastIndex;
      } else {
        const word = ["true", "false", "null"].find((w) => text.startsWith(w, i));
        if (word === void 0)
          return fault("a value");
        i += word.length;
      }
      state = "after";
    } else if (state === "key") {
      if (c !== '"')
        return fault("a property name in double quotes");
      const f = readString();
      if (f)
        return f;
      skipSpace();
      if (text[i] !== ":")
        return fault("':' after a property name");
      i++;
      state = "value";
    } else {
      const top = open.at(-1);
      if (top === void 0)
        return i >= text.length ? void 0 : fault("the end of the file after the JSON value");
      const close = top === "{" ? "}" : "]";
      if (c === ",") {
        i++;
        state = top === "{" ? "key" : "value";
      } else if (c === close) {
        open.pop();
        i++;
      } else
        return fault(top === "{" ? "',' or '}' after a property value" : "',' or ']' after an array element");
    }
  }
}
function position(text, offset) {
  if (offset >= text.length)
    return "end of file";
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
function parseJson(text, file) {
  try {
    return JSON.parse(text);
  } catch {
    const f = findJsonSyntaxFault(text);
    throw new ConfigError(file, "", f ? `invalid JSON at ${position(text, f.offset)}: ${f.problem}` : "invalid JSON");
  }
}

export {
  parseJson
};
