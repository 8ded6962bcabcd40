import type { Upload } from '../datasets/upload';
import type { SpanOptions } from '../telemetry/spans';

/**
 * The load job's span. A child of the span that is active when the load starts: every load here
 * runs while its request waits for the final status (POST /uploads, startUpload, retryUpload), so
 * its time is the request's time and belongs in the request's trace; a child may outlive its
 * parent, so a load whose client went away still ends in the same trace. Loads resumed at start
 * have no request and begin a trace of their own.
 */
export function loadSpanOf(upload: Upload): SpanOptions {
  return {
    attributes: {
      'kpi.upload.id': upload.id,
      'kpi.dataset': upload.dataset,
      'kpi.upload.kind': upload.kind,
      'kpi.upload.bytes': upload.bytes ?? 0,
      'kpi.upload.attempt': upload.attempts,
    },
  };
}
