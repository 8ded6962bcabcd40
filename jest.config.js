/** Unit tests need no server; integration tests use the real chDB engine and a real S3 server;
 *  e2e tests start the built gateway as a child process. Each jest worker gets its own chDB path. */
// Workers inherit this: integration tests run chDB and the S3 server in one process (see src/config/threadpool.ts).
if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = '32';
// The tests create S3 clients in the worker itself: the same switch as the gateway's entry point
// (src/config/aws-sdk-notice.ts) keeps the AWS SDK's Node 22 notice out of the test output.
if (!process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

module.exports = {
  testEnvironment: 'node',
  // jose ships ES modules only; jest (node 20) loads test dependencies as CommonJS, so it is compiled too.
  transform: { '^.+\\.ts$': ['@swc/jest'], '/node_modules/jose/.+\\.js$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  testTimeout: 120000,
  maxWorkers: 2,
};
