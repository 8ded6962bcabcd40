import { GraphQLError } from 'graphql';
import { createLogger } from '../../src/config/logger';
import { AppError, ErrorCode } from '../../src/errors/app-error';
import { subscriptionErrorFormatter } from '../../src/server/subscription-server';

/** A subscription's errors are masked as HTTP answers are: code kept, message hidden, request named. */
const scope = { requestId: '6f1c1a52-7d0e-4f38-9d51-0e6f2c3a8b11', access: 'reader|*' };
const located = (original: Error) =>
  new GraphQLError(original.message, { path: ['dataChanged'], originalError: original });

test('in production an internal failure is masked and names the request; a client error is not', () => {
  const format = subscriptionErrorFormatter({ logger: createLogger('silent'), production: true });
  const internal = new AppError(ErrorCode.WAREHOUSE_ERROR, 'chDB: secret table kpi.sales_raw is broken');
  const [masked] = format([located(internal)], scope);
  expect(masked).toEqual({
    message: `The service could not answer; try again later. (request ${scope.requestId})`,
    path: ['dataChanged'],
    locations: undefined,
    extensions: { code: 'WAREHOUSE_ERROR', traceId: scope.requestId, requestId: scope.requestId },
  });
  const [unexpected] = format([located(new TypeError('x is undefined'))], scope);
  expect(unexpected!.message).toBe(`Internal error (trace ${scope.requestId})`);
  expect(unexpected!.extensions).toMatchObject({ code: 'INTERNAL', requestId: scope.requestId });

  const client = new AppError(ErrorCode.DATASET_NOT_FOUND, 'No dataset named beta', {
    details: { dataset: 'beta' },
  });
  const [shown] = format([located(client)], scope);
  expect(shown!.message).toBe('No dataset named beta');
  expect(shown!.extensions).toEqual({
    code: 'DATASET_NOT_FOUND',
    details: { dataset: 'beta' },
    requestId: scope.requestId,
  });
});

test('outside production the internal message is shown, still with its code', () => {
  const format = subscriptionErrorFormatter({ logger: createLogger('silent'), production: false });
  const [shown] = format([located(new AppError(ErrorCode.WAREHOUSE_ERROR, 'chDB broke'))], scope);
  expect(shown!.message).toBe('chDB broke');
  expect(shown!.extensions?.code).toBe('WAREHOUSE_ERROR');
});
