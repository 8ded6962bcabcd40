import net from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A closed-loop load generator in the manner of wrk or autocannon: each connection is one
 * keep-alive socket that sends a pre-built HTTP/1.1 request, reads the whole response
 * (Content-Length framed), and sends the next. node:http's client spends about as much CPU per
 * request as the gateway does on a cached answer, and on 2 cores that cost would be measured as
 * the gateway's. Every response is checked: status 200 and a body byte-identical to the first
 * one, so a fast error can never pass for a fast answer.
 */
export interface LoadResult {
  readonly latencies: number[];
  readonly elapsedMs: number;
}

export interface LoadOptions {
  readonly url: string;
  readonly body: string;
  readonly connections: number;
  readonly durationMs: number;
  readonly maxRequests: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export async function closedLoop(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  if (url.hostname !== '127.0.0.1') throw new Error(`Benchmarks only load 127.0.0.1, not ${url.hostname}`);
  const payload = Buffer.from(options.body);
  const request = Buffer.concat([
    Buffer.from(
      `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\nConnection: keep-alive\r\n\r\n`,
    ),
    payload,
  ]);
  const latencies: number[] = [];
  let expected: Buffer | undefined;
  const started = performance.now();
  const end = started + options.durationMs;

  const connection = () =>
    new Promise<void>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname);
      socket.setNoDelay(true);
      let buffered: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      const send = () => {
        if (performance.now() >= end || latencies.length >= options.maxRequests) {
          socket.end();
          resolve();
          return;
        }
        sentAt = performance.now();
        socket.write(request);
      };
      socket.on('connect', send);
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        const headerEnd = buffered.indexOf(HEADER_END);
        if (headerEnd < 0) return;
        const head = buffered.subarray(0, headerEnd).toString('latin1');
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (!length) return reject(new Error(`Response without Content-Length:\n${head}`));
        const total = headerEnd + 4 + Number(length[1]);
        if (buffered.length < total) return;
        if (buffered.length > total)
          return reject(new Error('More bytes than one response: the server answered out of turn'));
        latencies.push(performance.now() - sentAt);
        const status = head.slice(9, 12);
        const body = buffered.subarray(headerEnd + 4, total);
        buffered = Buffer.alloc(0);
        if (!expected) {
          expected = Buffer.from(body);
          const first = JSON.parse(expected.toString('utf8')) as { data?: unknown; errors?: unknown };
          if (first.errors !== undefined || first.data == null)
            return reject(new Error(`Not an answer: ${expected.toString('utf8').slice(0, 300)}`));
        }
        if (status !== '200' || !body.equals(expected))
          return reject(new Error(`Unexpected answer (${status}): ${body.toString('utf8').slice(0, 300)}`));
        send();
      });
    });

  await Promise.all(Array.from({ length: options.connections }, connection));
  return { latencies, elapsedMs: performance.now() - started };
}
