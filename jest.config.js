/** Unit tests need no server; integration tests use the real chDB engine and a real S3 server;
 *  e2e tests start the built gateway as a child process. Each jest worker gets its own chDB path. */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  testTimeout: 120000,
  maxWorkers: 2,
};
