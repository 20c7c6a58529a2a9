#!/usr/bin/env bash
# Installs what the tests need and runs every test. The last line is `N passed, N failed`.
#   bash test/run.sh            all tests
#   bash test/run.sh PATTERN    only test files whose path matches PATTERN (jest's testPathPatterns)
set -uo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

# Debian packages the integration tests run for real.
need=()
command -v prometheus >/dev/null && command -v promtool >/dev/null || need+=(prometheus)
[ -x /lib/systemd/systemd-journal-remote ] || [ -x /usr/lib/systemd/systemd-journal-remote ] || need+=(systemd-journal-remote)
command -v journalctl >/dev/null || need+=(systemd)
command -v openssl >/dev/null || need+=(openssl)
# tini: the image's PID 1; the PID-namespace test runs the agent under it.
command -v tini >/dev/null || need+=(tini)
# kubectl is preinstalled on these machines; Debian's kubernetes-client collides with it.
command -v kubectl >/dev/null || need+=(kubernetes-client)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  as_root apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || echo "warning: apt-get could not install ${need[*]}; the tests that need them will fail"
fi

# npm packages (Node 24 comes in as the `node` devDependency).
# `npm ci` installs exactly the lock. Should it refuse the lock (a registry mirror without another
# platform's optional package of jest's unrs-resolver did once), `npm install`, which installs the
# locked versions, is the fallback.
# Installed means every package the lock names (less optional ones: other platforms' bindings) is in
# node_modules at the locked version: a content check, so a checkout with a fresh lock file mtime does
# not reinstall what is already there.
lock_installed() {
  [ -x node_modules/.bin/node ] && node_modules/.bin/node -e '
    const fs = require("fs");
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
    for (const [path, p] of Object.entries(lock.packages)) {
      if (!path || p.optional || p.link) continue;
      let v;
      try { v = JSON.parse(fs.readFileSync(path + "/package.json", "utf8")).version; } catch { process.exit(1); }
      if (v !== p.version) process.exit(1);
    }'
}
if ! lock_installed; then
  if ! npm ci --no-audit --no-fund --loglevel=silent; then
    echo "npm ci refused the lock file; installing the locked versions with npm install"
    npm install --no-audit --no-fund --loglevel=error || { echo "npm install failed"; echo "0 passed, 1 failed"; exit 1; }
  fi
fi
export PATH="$PWD/node_modules/.bin:$PATH"

failed_extra=0; passed_extra=0
echo "== build (tsc, strict; the CLI tests run the built dist/)"
if npx --no-install tsc -p tsconfig.json; then passed_extra=$((passed_extra + 1)); else failed_extra=$((failed_extra + 1)); fi

echo "== jest"
results=$(mktemp)
node --experimental-vm-modules --enable-experimental-regexp-engine-on-excessive-backtracks \
  node_modules/jest/bin/jest.js --ci --json --outputFile="$results" ${1:+--testPathPatterns "$1"} 2>&1
jest_rc=$?

node -e '
const fs = require("fs");
let r = {};
try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch {}
const failedSuites = (r.testResults || []).filter((s) => s.status === "failed" && (!s.assertionResults || s.assertionResults.length === 0)).length;
const passed = (r.numPassedTests || 0) + Number(process.argv[2]);
const failed = (r.numFailedTests || 0) + failedSuites + Number(process.argv[3]) + (r.numTotalTests ? 0 : 1);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
' "$results" "$passed_extra" "$failed_extra"
rc=$?
rm -f "$results"
[ $rc -eq 0 ] && [ $jest_rc -ne 0 ] && exit $jest_rc
exit $rc
