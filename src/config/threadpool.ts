/**
 * Imported first by every entry point that runs the embedded engine. chDB's async queries and the
 * embedded S3 server's file reads share libuv's threadpool, 4 threads by default: a few queries
 * waiting inside chDB held every thread while a load waited for the S3 server's reads, and both
 * stalled for minutes (measured: GraphQL answers > 20 s and a 1 M-row upload > 100 s with 4
 * threads; 11 s with 16). The pool is created on first use, so this must run before any I/O.
 */
if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = '32';
