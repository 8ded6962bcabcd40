import { GraphQLError } from 'graphql';
import { createLogger } from '../../src/config/logger';
import { AppError, ErrorCode } from '../../src/errors/app-error';
import { createFormatError } from '../../src/graphql/format-error';
import { requestScope } from '../../src/graphql/request-scope';

const logger = createLogger('silent');
const located = (original: Error) =>
  new GraphQLError(original.message, { originalError: original, path: ['sales'] });
const formatted = (error: GraphQLError) => ({ message: error.message, path: error.path });

describe('errors at the GraphQL boundary', () => {
  test('client errors keep their message, code and details, in production too', () => {
    const error = located(
      new AppError(ErrorCode.DATASET_NOT_FOUND, 'No dataset named x', { details: { dataset: 'x' } }),
    );
    expect(createFormatError(logger, true)(formatted(error), error)).toEqual({
      message: 'No dataset named x',
      path: ['sales'],
      locations: undefined,
      extensions: { code: 'DATASET_NOT_FOUND', details: { dataset: 'x' } },
    });
  });

  test('server-side AppErrors keep their code but not their message or details in production', () => {
    const error = located(
      new AppError(ErrorCode.WAREHOUSE_ERROR, 'ClickHouse query failed: secret table name', {
        details: { statement: 'SELECT …' },
      }),
    );
    const production = createFormatError(logger, true)(formatted(error), error);
    expect(production).toEqual({
      message: 'The service could not answer; try again later.',
      path: ['sales'],
      locations: undefined,
      extensions: { code: 'WAREHOUSE_ERROR' },
    });
    expect(createFormatError(logger, false)(formatted(error), error).message).toContain('secret table name');
  });

  test('unknown errors are masked in production with a trace id', () => {
    const error = located(new TypeError('cannot read x of undefined'));
    const result = createFormatError(logger, true)(formatted(error), error);
    expect(result.message).toMatch(/^Internal error \(trace [0-9a-f-]{36}\)$/);
    expect(result.extensions).toEqual({ code: 'INTERNAL', traceId: expect.any(String) });
    expect(result.message).not.toContain('undefined');
  });

  test("GraphQL's own errors (validation, bad arguments) pass through", () => {
    const error = new GraphQLError('Unknown argument "nope"', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const input = { message: error.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    expect(createFormatError(logger, true)(input, error)).toBe(input);
  });

  test('inside a request, masked errors name its request id (x-request-id), and the log line carries it', () => {
    const lines: Array<Record<string, unknown>> = [];
    const recording = {
      ...logger,
      error: (_msg: string, fields?: Record<string, unknown>) => lines.push(fields ?? {}),
    };
    const format = createFormatError(recording, true);
    const warehouse = located(
      new AppError(ErrorCode.WAREHOUSE_ERROR, 'ClickHouse query failed: SELECT secret'),
    );
    const unknown = located(new TypeError('boom'));
    const [masked, internal] = requestScope.run({ requestId: 'req-42', access: 'admin|*' }, () => [
      format(formatted(warehouse), warehouse),
      format(formatted(unknown), unknown),
    ]);
    expect(masked.message).toBe('The service could not answer; try again later. (request req-42)');
    expect(masked.extensions).toEqual({ code: 'WAREHOUSE_ERROR', traceId: 'req-42' });
    expect(internal.message).toBe('Internal error (trace req-42)');
    expect(lines.map((line) => line.requestId ?? line.traceId)).toEqual(['req-42', 'req-42']);
  });
});
