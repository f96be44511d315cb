/** Jest in native ESM mode (Nest 12 packages are ESM-only). */
export default {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  testTimeout: 60000,
  // Two workers, each replaced once it holds more than 1 GiB between files: native ESM test
  // modules are never freed, so a single long-lived process slows down file after file.
  maxWorkers: 2,
  workerIdleMemoryLimit: '1024MB',
  // the cache lives with the checkout: a fresh clone never reuses another tree's compiled modules
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
};
