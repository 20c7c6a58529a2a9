/** Jest 30 in ESM mode: ts-jest transpiles each file (type-checking is `npm run typecheck`). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // V8's linear-time regexp engine, as the CLI turns it on (src/re2/linear-engine.ts).
  setupFiles: ['<rootDir>/test/setup/linear-regexp-engine.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
