import { GraphQLError } from 'graphql';
import { createLogger, logContext } from '../../src/config/logger';
import { AppError, ErrorCode } from '../../src/errors/app-error';
import { createFormatError } from '../../src/graphql/format-error';
import { requestScope } from '../../src/graphql/request-scope';

/** pino writes JSON lines to a stream; here the lines are kept to be read back. */
function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
  return { lines, logger: createLogger('info', { service: 'kpi-gateway' }, stream) };
}

const located = (original: Error) =>
  new GraphQLError(original.message, { originalError: original, path: ['sales'] });

describe('structured JSON logs (pino)', () => {
  test('a masked GraphQL error and its log line name the same request', () => {
    const { lines, logger } = capture();
    const error = located(
      new AppError(ErrorCode.WAREHOUSE_ERROR, 'ClickHouse query failed', { cause: new Error('table gone') }),
    );
    const answer = logContext.run({ requestId: 'req-42' }, () =>
      requestScope.run({ requestId: 'req-42', access: '*' }, () =>
        createFormatError(logger, true)({ message: error.message, path: error.path }, error),
      ),
    );
    expect(answer.extensions).toEqual({ code: 'WAREHOUSE_ERROR', traceId: 'req-42' });
    expect(answer.message).toContain('(request req-42)');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'error',
      msg: 'request failed',
      requestId: 'req-42',
      service: 'kpi-gateway',
      code: 'WAREHOUSE_ERROR',
      error: [
        { name: 'AppError', message: 'ClickHouse query failed', code: 'WAREHOUSE_ERROR' },
        { name: 'Error', message: 'table gone' },
      ],
    });
    expect(new Date(String(lines[0]?.time)).toISOString()).toBe(lines[0]?.time);
  });

  test('lines outside a request carry no request id; levels below the threshold are dropped', () => {
    const { lines, logger } = capture();
    logger.debug('not written');
    logger.child({ part: 'sweeper' }).info('swept', { objects: 2 });
    expect(lines).toEqual([
      {
        level: 'info',
        time: expect.any(String),
        service: 'kpi-gateway',
        part: 'sweeper',
        objects: 2,
        msg: 'swept',
      },
    ]);
  });
});
