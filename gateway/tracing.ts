import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import { setTracingEnabled } from '../services/shared/tracing';

export interface Tracing {
  stop(): Promise<void>;
}

/**
 * Installs OpenTelemetry tracing for this process: spans go to an OTLP/HTTP collector at `endpoint` (Jaeger, Tempo,
 * the OpenTelemetry Collector: OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://127.0.0.1:4318), batched; or, for tests, to
 * the `exporter` given, one by one.
 */
export function startTracing(options: { serviceName: string; endpoint?: string; exporter?: SpanExporter }): Tracing {
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.endpoint!.replace(/\/$/, '')}/v1/traces` }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [processor],
  });
  provider.register();
  setTracingEnabled(true);
  return {
    async stop() {
      setTracingEnabled(false);
      await provider.shutdown();
    },
  };
}
