import { context, propagation, trace } from '@opentelemetry/api';
import { includeTraceIdsInLogs, type Logger } from '../config/logger';
import type { TracingSettings } from '../config/telemetry-config';
import { setTracingActive } from './spans';

/** One export request gives up after this long (the SDK's default is 10 s). */
const EXPORT_TIMEOUT_MS = 5000;
/** At shutdown, the last batch gets this long to leave. */
const FLUSH_AT_STOP_MS = 2000;

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
  const exporter = new OTLPTraceExporter({
    url: settings.url,
    headers: { ...settings.headers },
    timeoutMillis: EXPORT_TIMEOUT_MS,
  });
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
      // An absent receiver must not hold the shutdown (its own bound is SHUTDOWN_TIMEOUT_MS).
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(resolve, FLUSH_AT_STOP_MS, 'late');
      });
      const flushed = await Promise.race([provider.shutdown().then(() => 'sent' as const), late]).catch(
        () => 'failed' as const,
      );
      clearTimeout(timer);
      if (flushed !== 'sent') logger.warn('tracing: the last spans could not be sent', { outcome: flushed });
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
