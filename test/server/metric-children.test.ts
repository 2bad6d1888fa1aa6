import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CounterSets, HistogramSets, MAX_HANDLES } from '../../src/server/metric-children.js';
import { GatewayMetrics } from '../../src/server/metrics.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// Below, on and between bounds, above the last one, zero.
const SAMPLES = [0.001, 0.005, 0.0051, 0.3, 1, 2.4999, 10, 10.5, 99, 0, 0.07, 0.0123456789];

function pair() {
  const registry = new Registry();
  const plain = {
    counter: new Counter({ name: 'c', help: 'c', labelNames: ['a', 'b'], registers: [registry] }),
    histogram: new Histogram({
      name: 'h',
      help: 'h',
      labelNames: ['a'],
      buckets: BUCKETS,
      registers: [registry],
    }),
  };
  const fastRegistry = new Registry();
  const counter = new Counter({ name: 'c', help: 'c', labelNames: ['a', 'b'], registers: [fastRegistry] });
  const histogram = new Histogram({
    name: 'h',
    help: 'h',
    labelNames: ['a'],
    buckets: BUCKETS,
    registers: [fastRegistry],
  });
  const fast = {
    counter: new CounterSets(counter, ['a', 'b']),
    histogram: new HistogramSets(histogram, ['a']),
  };
  return { registry, plain, fastRegistry, fast, counter, histogram };
}

describe('label-set handles', () => {
  it('expose exactly what plain inc and observe expose', async () => {
    const { registry, plain, fastRegistry, fast } = pair();
    for (const [i, sample] of SAMPLES.entries()) {
      const a = i % 3 === 0 ? 'x' : 'y';
      plain.counter.inc({ a, b: String(i % 2) });
      fast.counter.inc(a, String(i % 2));
      plain.histogram.observe({ a }, sample);
      fast.histogram.observe(sample, a);
    }
    const text = await registry.metrics();
    expect(text).toContain('h_bucket{le="0.005",a="x"}');
    expect(text).toContain('c{a="y",b="1"}');
    expect(await fastRegistry.metrics()).toBe(text);
  });

  it('keep counting after the metric is reset', async () => {
    const { registry, plain, fastRegistry, fast, counter, histogram } = pair();
    fast.counter.inc('x', '1');
    fast.histogram.observe(0.2, 'x');
    counter.reset();
    histogram.reset();
    fast.counter.inc('x', '1');
    fast.histogram.observe(0.3, 'x');
    plain.counter.inc({ a: 'x', b: '1' });
    plain.histogram.observe({ a: 'x' }, 0.3);
    expect(await fastRegistry.metrics()).toBe(await registry.metrics());
  });

  it('reject a non-finite value as prom-client does', () => {
    const { fast } = pair();
    fast.histogram.observe(0.1, 'x');
    expect(() => fast.histogram.observe(Number.NaN, 'x')).toThrow(/not a valid number/);
  });

  it('keep at most MAX_HANDLES handles, and still count every label set past it', async () => {
    const { registry, plain, fastRegistry, fast } = pair();
    const sets = MAX_HANDLES + 50;
    for (let i = 0; i < sets; i += 1) {
      fast.counter.inc(`v${i}`, 'b');
      fast.histogram.observe(0.02, `v${i}`);
      plain.counter.inc({ a: `v${i}`, b: 'b' });
      plain.histogram.observe({ a: `v${i}` }, 0.02);
    }
    expect(fast.counter.handles).toBe(MAX_HANDLES);
    expect(fast.histogram.handles).toBe(MAX_HANDLES);
    expect(await fastRegistry.metrics()).toBe(await registry.metrics());
  });

  it('carry GatewayMetrics upstream attempts with their labels and buckets', async () => {
    const metrics = new GatewayMetrics({ processMetrics: false });
    for (let i = 0; i < 50; i += 1) metrics.upstreamAttempt('onestore', 'onestore.token', '200', 0.01);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'gateway_upstream_requests_total{store="onestore",endpoint="onestore.token",status="200"} 50',
    );
    expect(text).toContain(
      'gateway_upstream_request_duration_seconds_bucket{le="0.01",store="onestore",endpoint="onestore.token"} 50',
    );
  });
});
