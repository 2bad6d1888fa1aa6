import { ProxyTracerProvider, type Tracer, trace } from '@opentelemetry/api';

const NAME = 'entitlement-gateway';

/**
 * The gateway's tracer while an OpenTelemetry SDK is registered (`server/tracing.ts`), else
 * undefined: tracing is off by default, and a no-op span still costs a context, a span object and
 * a closure per request and per upstream call. Asked on every use, as an SDK can register later.
 */
export function activeTracer(): Tracer | undefined {
  const provider = trace.getTracerProvider();
  return provider instanceof ProxyTracerProvider
    ? provider.getDelegateTracer(NAME)
    : provider.getTracer(NAME);
}
