import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../config/logger';
import { AppError, ErrorCode } from '../errors/app-error';
import { requestScope } from './request-scope';

/**
 * The single place errors become GraphQL errors. AppErrors keep their code and public details;
 * GraphQL's own errors (syntax, validation, bad arguments) pass through; anything else is logged
 * with a trace id (the request's `x-request-id` when there is one) and, in production, masked.
 */
export function createFormatError(logger: Logger, production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    const requestId = requestScope.getStore()?.requestId;
    if (original instanceof AppError) {
      if (!original.isClientError)
        logger.error('request failed', { code: original.code, requestId, error: original });
      const exposeDetails = original.isClientError || !production;
      return {
        message:
          original.isClientError || !production
            ? original.message
            : `The service could not answer; try again later.${requestId ? ` (request ${requestId})` : ''}`,
        locations: formatted.locations,
        path: formatted.path,
        extensions: {
          code: original.code,
          ...(exposeDetails ? { details: original.details } : {}),
          // A masked error names the request, so an operator finds the details in the log.
          ...(!exposeDetails && requestId ? { traceId: requestId } : {}),
        },
      };
    }
    if (!original || original instanceof GraphQLError) return formatted;
    const traceId = requestId ?? randomUUID();
    logger.error('unexpected error', { traceId, error: original as Error });
    return {
      message: production ? `Internal error (trace ${traceId})` : formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL, traceId },
    };
  };
}
