/**
 * OpenTelemetry tracing, off by default. Spans are made with `@opentelemetry/api`, and only while
 * an SDK is registered (`activeTracer`, `stores/tracing.ts`); the SDK and the OTLP/HTTP exporter
 * are loaded only when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is
 * set. Versions are pinned to the 2.5 / 0.212 line, whose engines accept Node 20 (the newest
 * exporter needs Node 22).
 */
export interface Tracing {
  /** Flushes pending spans and stops exporting. */
  shutdown(): Promise<void>;
}

export async function startTracing(
  env: Readonly<Record<string, string | undefined>>,
): Promise<Tracing | undefined> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'entitlement-gateway' }),
    // The exporter reads the endpoint and headers from the OTEL_EXPORTER_OTLP_* variables itself.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // Registers the AsyncLocalStorage context manager, which makes upstream spans children of the
  // request's: the only async context the gateway uses, and only with tracing on.
  provider.register();
  return { shutdown: () => provider.shutdown() };
}
