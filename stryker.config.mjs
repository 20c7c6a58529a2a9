// Mutation testing with StrykerJS: `npm run mutate` (the wiring, src/app) or `MUTATE=<group> npm run mutate`
// for another group below. Each group runs only the tests that exercise it, so one group fits in well under an
// hour on 2 cores. Not part of CI. The report: reports/mutation/<group>.json and the clear-text table.
// The CLI tests run the built dist/ (not mutated), so `npm run mutate` builds first and only in-process tests
// can kill a mutant; that is why the settings and the agent are tested in-process.
const groups = {
  app: { mutate: ['src/app/**/*.ts'], tests: ['test/app/**', 'test/integration/agent-*', 'test/integration/prometheus-scrape*', 'test/corpus/**'] },
  core: { mutate: ['src/core/**/*.ts'], tests: ['test/core/**', 'test/monitors/**', 'test/exporters/**'] },
  re2: { mutate: ['src/re2/**/*.ts'], tests: ['test/re2/**', 'test/config/**'] },
  config: { mutate: ['src/config/**/*.ts'], tests: ['test/config/**', 'test/corpus/**'] },
  sources: { mutate: ['src/sources/**/*.ts'], tests: ['test/sources/**', 'test/integration/journald*'] },
  probes: { mutate: ['src/probes/**/*.ts'], tests: ['test/probes/**', 'test/app/check*'] },
  pods: { mutate: ['src/pods/**/*.ts'], tests: ['test/pods/**', 'test/probes/hung-process', 'test/monitors/hung-process-monitor'] },
  kube: { mutate: ['src/kube/**/*.ts'], tests: ['test/kube/**', 'test/integration/kubernetes-*'] },
  monitors: { mutate: ['src/monitors/**/*.ts'], tests: ['test/monitors/**', 'test/corpus/**'] },
  exporters: { mutate: ['src/exporters/**/*.ts'], tests: ['test/exporters/**', 'test/integration/kubernetes-exporter*', 'test/integration/prometheus-scrape*'] },
};
const name = process.env.MUTATE ?? 'app';
const known = groups[name];
if (!known) throw new Error(`MUTATE must be one of ${Object.keys(groups).join(', ')}, got ${JSON.stringify(name)}`);
// One file at a time, with only the tests that exercise it (a calibrated run on a loaded machine):
// MUTATE=app FILES=src/app/config-watcher.ts TESTS=test/app/config-watcher npm run mutate
const list = (v) => v?.split(',').map((s) => s.trim()).filter(Boolean);
const group = { mutate: list(process.env.FILES) ?? known.mutate, tests: list(process.env.TESTS) ?? known.tests };
const report = process.env.FILES ? `${name}-${group.mutate.map((f) => f.replace(/^.*\//, '').replace(/\.ts$/, '')).join('+')}` : name;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules', '--enable-experimental-regexp-engine-on-excessive-backtracks'],
  jest: {
    configFile: 'jest.config.js',
    config: {
      testEnvironment: '@stryker-mutator/jest-runner/jest-env/node',
      testMatch: group.tests.map((t) => `<rootDir>/${t}${t.endsWith('**') ? '/*.test.ts' : '.test.ts'}`),
    },
    enableFindRelatedTests: false,
  },
  // CHECKER=off skips the TypeScript checker, most of a run's CPU on a loaded machine: a mutant that would not
  // compile then runs (and is killed, survives or fails at run time) instead of being set aside.
  checkers: process.env.CHECKER === 'off' ? [] : ['typescript'],
  tsconfigFile: 'tsconfig.json',
  coverageAnalysis: 'perTest',
  mutate: group.mutate,
  ignorePatterns: ['reports', '.stryker-tmp', 'coverage'],
  concurrency: 2,
  dryRunTimeoutMinutes: 30,
  timeoutMS: 20000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: `reports/mutation/${report}.json` },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
