/** Unit tests need no server; integration tests use the real chDB engine and a real S3 server;
 *  e2e tests start the built gateway as a child process. Each jest worker gets its own chDB path. */
// Workers inherit this: integration tests run chDB and the S3 server in one process (see src/config/threadpool.ts).
if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = '32';

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  testTimeout: 120000,
  maxWorkers: 2,
};
