// NOTE: Nest 12 ships as ES modules, so Jest runs in ESM mode (node --experimental-vm-modules, see package.json).
const transform = { '^.+\\.ts$': ['ts-jest', { useESM: true }] };
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
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
