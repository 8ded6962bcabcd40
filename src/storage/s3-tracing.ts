import type { S3Client } from '@aws-sdk/client-s3';
import { SpanKind, inSpan, tracingActive } from '../telemetry/spans';

/**
 * Every command the gateway's S3 client sends (PutObject, HeadObject, GetObject, the multipart
 * steps, DeleteObject, …) becomes a client span `S3.PutObject` under whatever span is active (the
 * upload's request, the load, a sweep). Added as SDK middleware so no call site can miss it.
 * Recorded: the bucket and the object key (the gateway's own `uploads/<dataset>/<id>` names), the
 * HTTP status; never a header, a signature or a presigned URL.
 */
export function traceS3Commands(client: S3Client): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!tracingActive()) return next(args);
      const input = args.input as { Bucket?: unknown; Key?: unknown };
      const command = String(context.commandName ?? 'Command').replace(/Command$/, '');
      const attributes = {
        'rpc.system': 'aws-api',
        'rpc.service': 'S3',
        'rpc.method': command,
        ...(typeof input.Bucket === 'string' ? { 'aws.s3.bucket': input.Bucket } : {}),
        ...(typeof input.Key === 'string' ? { 'aws.s3.key': input.Key } : {}),
      };
      return inSpan(`S3.${command}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
        const output = await next(args);
        const status = (output.response as { statusCode?: unknown } | undefined)?.statusCode;
        if (typeof status === 'number') span?.setAttribute('http.response.status_code', status);
        return output;
      });
    },
    { step: 'initialize', name: 'kpiGatewayTracing' },
  );
}
