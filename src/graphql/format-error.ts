import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../config/logger';
import { AppError, ErrorCode } from '../errors/app-error';

/**
 * The single place errors become GraphQL errors. AppErrors keep their code and public details;
 * GraphQL's own errors (syntax, validation, bad arguments) pass through; anything else is logged
 * with a trace id and, in production, masked.
 */
export function createFormatError(logger: Logger, production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (original instanceof AppError) {
      if (!original.isClientError) logger.error('request failed', { code: original.code, error: original });
      const exposeDetails = original.isClientError || !production;
      return {
        message:
          original.isClientError || !production
            ? original.message
            : 'The service could not answer; try again later.',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: original.code, ...(exposeDetails ? { details: original.details } : {}) },
      };
    }
    if (!original || original instanceof GraphQLError) return formatted;
    const traceId = randomUUID();
    logger.error('unexpected error', { traceId, error: original as Error });
    return {
      message: production ? `Internal error (trace ${traceId})` : formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL, traceId },
    };
  };
}
