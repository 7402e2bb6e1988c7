// NOTE: Nest 12 ships as ES modules, so Jest runs in ESM mode (node --experimental-vm-modules, see package.json).
const transform = { '^.+\\.ts$': ['ts-jest', { useESM: true }] };
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // NOTE: the packages by name resolve to their sources, so tests never need a build (and share one copy of each).
  moduleNameMapper: {
    '^@nest-cloud-tasks/core$': '<rootDir>/libs/cloud-tasks/src/index.ts',
    '^@nest-cloud-tasks/core/testing$': '<rootDir>/libs/cloud-tasks/src/testing/index.ts',
    '^@nest-cloud-tasks/emulator$': '<rootDir>/libs/cloud-tasks-emulator/src/index.ts',
    '^@nest-cloud-tasks/upstash-local$': '<rootDir>/libs/upstash-local/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform,
  testEnvironment: 'node',
};

export default {
  reporters: ['default', '<rootDir>/jest.summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/libs', '<rootDir>/src', '<rootDir>/bench'], testMatch: ['**/*.spec.ts'] },
    { ...common, displayName: 'e2e', roots: ['<rootDir>/test', '<rootDir>/libs'], testMatch: ['**/*.e2e-spec.ts'] },
  ],
};
