import { GraphQLError } from 'graphql';
import { createLogger } from '../../src/config/logger';
import { AppError, ErrorCode } from '../../src/errors/app-error';
import { createFormatError } from '../../src/graphql/format-error';

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
});
