import { context, propagation, trace } from '@opentelemetry/api';
import { includeTraceIdsInLogs, type Logger } from '../config/logger';
import type { TracingSettings } from '../config/telemetry-config';
import { setTracingActive } from './spans';

export interface Tracing {
  /** Sends the spans still buffered, then stops tracing; never throws (an absent collector is logged). */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK for this process: spans batched and sent over OTLP/HTTP to the
 * configured receiver, W3C `traceparent` read from callers (parent-based sampling: a caller's
 * sampled flag is followed, new traces are kept at `sampleRatio`), async context carried by
 * AsyncLocalStorage. Called only when tracing is on; otherwise nothing of the SDK is loaded.
 */
export async function startTracing(settings: TracingSettings, logger: Logger): Promise<Tracing> {
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } =
    await import('@opentelemetry/sdk-trace-base');
  const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
  const { ATTR_SERVICE_NAME } = await import('@opentelemetry/semantic-conventions');
  const exporter = new OTLPTraceExporter({ url: settings.url, headers: { ...settings.headers } });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  provider.register();
  setTracingActive(true);
  includeTraceIdsInLogs(true);
  // The receiver's URL may carry a tenant; the headers (credentials) are never logged.
  logger.info('tracing on', { exporter: new URL(settings.url).origin, sampleRatio: settings.sampleRatio });
  return {
    shutdown: async () => {
      setTracingActive(false);
      includeTraceIdsInLogs(false);
      await provider
        .shutdown()
        .catch((error: unknown) =>
          logger.warn('tracing: the last spans could not be sent', { error: error as Error }),
        );
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
