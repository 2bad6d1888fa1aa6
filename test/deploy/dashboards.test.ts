import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createGateway } from '../../src/server/create-gateway.js';
import { type SandboxMode, startSandboxMode } from '../../src/server/sandbox-mode.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';

const RULES_FILE = 'deploy/prometheus/gateway-alerts.yml';
const DASHBOARD_FILE = 'deploy/grafana/gateway-dashboard.json';

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'and',
  'or',
  'unless',
  'bool',
  'le',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: identifiers that are not functions, keywords,
 * label names (in `{...}`, `by (...)`), strings, or durations and Grafana variables in `[...]`.
 */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\boffset\s+\w+/g, '');
  return [...bare.matchAll(/(?<![\w$:.])([a-zA-Z_:][\w:]*)(\s*\()?/g)]
    .filter((m) => m[2] === undefined)
    .map((m) => m[1] ?? '')
    .filter((name) => !PROMQL_WORDS.has(name.toLowerCase()));
}

interface Rules {
  groups: Array<{
    name: string;
    rules: Array<{ alert: string; expr: string; for?: string; labels?: object }>;
  }>;
}
interface Dashboard {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
}

const rules = parse(readFileSync(RULES_FILE, 'utf8')) as Rules;
const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
const ruleExprs = rules.groups.flatMap((g) =>
  g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
);
const panelExprs = dashboard.panels.flatMap((p) =>
  p.targets.map((t) => ({ where: `panel ${p.title}`, expr: t.expr })),
);

describe('deploy/: the Grafana dashboard and the Prometheus alert rules', () => {
  let mode: SandboxMode;
  let gateway: ReturnType<typeof createGateway>;
  /** Every series name /metrics can show: histograms' _bucket/_sum/_count, summaries' _sum/_count. */
  const exported = new Set<string>();
  /** The gateway's own families (gateway_*), by their TYPE line. */
  const families = new Set<string>();

  beforeAll(async () => {
    mode = await startSandboxMode();
    gateway = createGateway(mode.config, mode.options);
    const response = await gateway.fetch('http://gateway.test/metrics');
    expect(response.status).toBe(200);
    for (const [, name, type] of (await response.text()).matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      if (!name || !type) continue;
      exported.add(name);
      if (name.startsWith('gateway_')) families.add(name);
      if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) exported.add(name + s);
      if (type === 'summary') for (const s of ['_sum', '_count']) exported.add(name + s);
    }
  });
  afterAll(async () => {
    await gateway?.dispose();
    await mode?.sandbox.close();
  });

  it('the name extraction reads metrics, not functions, labels or durations', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (store, le) (rate(x_bucket{status=~"5..|a b"}[$__rate_interval] offset 1d))) / on (store) y > 2 * 1024',
      ),
    ).toEqual(['x_bucket', 'y']);
  });

  it('the rules file parses: 30 alerts in one group, each with an expression and a severity', () => {
    expect(rules.groups.map((g) => g.name)).toEqual(['entitlement-gateway']);
    const all = rules.groups.flatMap((g) => g.rules);
    expect(all).toHaveLength(30);
    for (const rule of all) {
      expect(rule.alert).toMatch(/^Gateway[A-Za-z]+$/);
      expect(rule.labels).toHaveProperty('severity');
      expect(metricNames(rule.expr).length, rule.alert).toBeGreaterThanOrEqual(1);
    }
  });

  it('every metric the rules and the dashboard read is exported at /metrics', () => {
    const missing = [...ruleExprs, ...panelExprs].flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('the dashboard shows every gateway_* metric family', () => {
    const used = new Set(
      panelExprs.flatMap(({ expr }) => metricNames(expr)).map((n) => n.replace(/_(bucket|sum|count)$/, '')),
    );
    expect([...families].filter((family) => !used.has(family)).sort()).toEqual([]);
    // 33, the subscription scheduler's 4 (issue 26) and graphql-ws's 2 (issue 28).
    expect(families.size).toBe(39);
  });

  const promtool = spawnSync('promtool', ['--version']).status === 0;
  if (!promtool)
    console.warn(
      'promtool not installed (Debian: apt-get install prometheus): `promtool check rules` skipped',
    );
  it.skipIf(!promtool)('promtool check rules accepts the rules file', () => {
    const out = execFileSync('promtool', ['check', 'rules', RULES_FILE], { encoding: 'utf8' });
    expect(out).toContain(`SUCCESS: ${rules.groups.flatMap((g) => g.rules).length} rules found`);
  });
});

/** A panel's target that shows 0 when its metric has no series yet (a counter of rare events). */
const ZERO_WHEN_NONE = / or on\(\) vector\(0\)$/;

describe('deploy/: every dashboard panel has data on a healthy gateway after a short workload (issue 28)', () => {
  let mode: SandboxMode;
  let gateway: ReturnType<typeof createGateway>;
  let receiver: Receiver;
  /** The series names /metrics has at least one sample of. */
  const sampled = new Set<string>();

  beforeAll(async () => {
    receiver = await startReceiver();
    mode = await startSandboxMode({ webhookUrl: receiver.url });
    gateway = createGateway(mode.config, mode.options);
    const gql = async (query: string) => {
      const response = await gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${mode.apiKey}` },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { errors?: unknown };
      expect(body.errors).toBeUndefined();
    };
    // What a healthy gateway does in its first minutes: reads, a redemption (its events delivered to the
    // webhook), a revocation sync.
    await gql(
      '{ purchase(app: "demo", productId: "gem_100", purchaseToken: "DEMOINAPP00000000001") { __typename } }',
    );
    await gql(
      'mutation { redeemPurchase(input: {app: "demo", userId: "AS@DEMOUSER0001", gamebase: {paymentSeq: "2026112310000001", purchaseToken: "demo-gb-token-gem100-1"}}) { __typename } }',
    );
    await gql('mutation { syncRevocations(app: "demo") { __typename } }');
    await receiver.until((r) => r.length >= 2);
    const text = await (await gateway.fetch('http://gateway.test/metrics')).text();
    for (const [, name] of text.matchAll(/^([a-zA-Z_:][\w:]*)(?:\{|\s)/gm)) if (name) sampled.add(name);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await mode?.sandbox.close();
    await receiver?.close();
  });

  it('each panel reads a metric with a sample, or shows 0 until its rare event happens', () => {
    const empty = dashboard.panels
      .filter(
        (panel) =>
          !panel.targets.some(
            (t) => ZERO_WHEN_NONE.test(t.expr) || metricNames(t.expr).some((n) => sampled.has(n)),
          ),
      )
      .map((panel) => panel.title);
    expect(empty).toEqual([]);
  });
});
