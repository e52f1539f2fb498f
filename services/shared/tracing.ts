import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

/*
 * OpenTelemetry spans for what an operator wants to see in a trace: one per GraphQL request (the gateway) and one per
 * Neo4j transaction and Cypher statement inside it. Only the API is used here; `gateway/tracing.ts` installs the SDK
 * and its exporter when OTEL_EXPORTER_OTLP_ENDPOINT is set. While it is off, nothing is created at all.
 */

let enabled = false;

/** Turned on by the SDK starter (and off when it stops). */
export function setTracingEnabled(on: boolean): void {
  enabled = on;
}

export const tracingEnabled = (): boolean => enabled;

/** Runs `work` in a span, a child of the active one; records a failure on it. Without tracing, just runs `work`. */
export async function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  if (!enabled) return work();
  return trace.getTracer('ogp-graph').startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Renames and annotates the active span (a request's, once its operation name is known). */
export function annotateActiveSpan(name: string, attributes: Attributes): void {
  if (!enabled) return;
  trace.getActiveSpan()?.updateName(name);
  trace.getActiveSpan()?.setAttributes(attributes);
}
