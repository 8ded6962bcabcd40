import {
  context,
  createContextKey,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';

/**
 * The gateway's spans (docs/operations.md, "Tracing"). While tracing is off no SDK is started and
 * `inSpan` runs its work directly: no span object, no context switch, nothing measurable. Errors
 * are recorded by their stable code only, never by message: a ClickHouse message can quote the
 * values of a statement, and a storage message a key or a signature.
 */
let active = false;

/** Set by the SDK's start and stop (tracing-sdk.ts). */
export function setTracingActive(on: boolean): void {
  active = on;
}

export function tracingActive(): boolean {
  return active;
}

export const tracer = () => trace.getTracer('kpi-gateway');

const UNTRACED = createContextKey('kpi-gateway untraced');

/** Runs `work` (a probe's checks) without making any span, however deep the calls go. */
export function untraced<T>(work: () => T): T {
  return active ? context.with(context.active().setValue(UNTRACED, true), work) : work();
}

export interface SpanOptions {
  readonly attributes?: Attributes;
  readonly kind?: SpanKind;
  readonly links?: Link[];
  /** Start under this context instead of the active one. */
  readonly parent?: Context;
}

/** Runs `work` inside a new span that ends when the work settles. */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  if (!active || context.active().getValue(UNTRACED) === true) return work(undefined);
  const span = tracer().startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links },
    options.parent ?? context.active(),
  );
  try {
    return await context.with(trace.setSpan(options.parent ?? context.active(), span), () => work(span));
  } catch (error) {
    markFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** The error's stable code (an AppError's, or the library's `code`/`name`) as the span's status. */
export function markFailed(span: Span, error: unknown): void {
  const code = errorCode(error);
  span.setAttribute('error.type', code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}

function errorCode(error: unknown): string {
  const source = error as { code?: unknown; name?: unknown } | undefined;
  if (typeof source?.code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(source.code)) return source.code;
  if (typeof source?.name === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(source.name)) return source.name;
  return 'Error';
}

export { SpanKind };
