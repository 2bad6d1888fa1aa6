import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../src/server/create-gateway.js';
import { GRAPHIQL_EXAMPLES } from '../../src/server/graphiql-examples.js';
import { type SandboxMode, startSandboxMode } from '../../src/server/sandbox-mode.js';

/** The first `next` payload of a server-sent event stream; the stream is then cancelled. */
async function firstEvent(response: Response): Promise<unknown> {
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  let text = '';
  try {
    for (;;) {
      const match = /event: next\ndata: (.*)\n\n/.exec(text);
      if (match?.[1]) return JSON.parse(match[1]) as unknown;
      const { done, value } = await reader.read();
      if (done) throw new Error(`ended before an event: ${text}`);
      text += new TextDecoder().decode(value);
    }
  } finally {
    await reader.cancel();
  }
}

/** The operations GraphiQL opens with must work on the demo data as they stand, in their order. */
describe('GraphiQL example operations (sandbox mode)', () => {
  let mode: SandboxMode;
  let gateway: Gateway;

  beforeAll(async () => {
    mode = await startSandboxMode();
    gateway = createGateway(mode.config, mode.options);
  });

  afterAll(async () => {
    await gateway.dispose();
    await mode.sandbox.close();
  });

  const names = parse(GRAPHIQL_EXAMPLES).definitions.flatMap((d) =>
    d.kind === 'OperationDefinition' && d.name ? [d.name.value] : [],
  );

  it('has the operations a person needs first', () => {
    expect(names).toEqual([
      'VerifyPurchase',
      'CheckEntitlements',
      'SubscriptionStatus',
      'VoidedPurchases',
      'UnconsumedNhnPayments',
      'RedeemGamebaseGems',
      'PlayerGrants',
      'WatchGrantEvents',
      'ConsumeGems',
      'CancelSubscription',
    ]);
  });

  it('runs every one without errors, and none answers an Error type', async () => {
    const subscriptions = new Set(
      parse(GRAPHIQL_EXAMPLES).definitions.flatMap((d) =>
        d.kind === 'OperationDefinition' && d.operation === 'subscription' && d.name ? [d.name.value] : [],
      ),
    );
    // The live stream, as GraphiQL runs it: server-sent events. It comes after RedeemGamebaseGems,
    // so it replays that redemption's events; its first one is read, then the stream is left.
    expect([...subscriptions]).toEqual(['WatchGrantEvents']);
    for (const operationName of names) {
      const stream = subscriptions.has(operationName);
      const response = await gateway.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${mode.apiKey}`,
          ...(stream && { accept: 'text/event-stream' }),
        },
        body: JSON.stringify({ query: GRAPHIQL_EXAMPLES, operationName }),
      });
      const body = (stream ? await firstEvent(response) : await response.json()) as {
        data?: Record<string, { __typename: string; type?: string }>;
        errors?: unknown;
      };
      if (stream) expect(body.data?.gatewayEvents?.type, operationName).toBe('GRANT_CREATED');
      expect(body.errors, operationName).toBeUndefined();
      const [result] = Object.values(body.data ?? {});
      expect(result?.__typename, operationName).not.toMatch(/Error$/);
    }
  });

  it("CheckEntitlements' global-market entry finds its purchase in MKT_GLB and entitles it", async () => {
    const response = await gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mode.apiKey}` },
      body: JSON.stringify({ query: GRAPHIQL_EXAMPLES, operationName: 'CheckEntitlements' }),
    });
    const body = (await response.json()) as {
      data: { checkEntitlements: { checks: { index: number; active: boolean; purchase: unknown }[] } };
    };
    expect(body.data.checkEntitlements.checks[3]).toMatchObject({
      index: 3,
      active: true,
      purchase: { __typename: 'Purchase' },
    });
  });

  it('serves the GraphiQL page itself without an API key, with the examples and the key preset', async () => {
    const response = await gateway.fetch('http://gateway/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('VerifyPurchase');
    expect(html).toContain(`Bearer ${mode.apiKey}`);
  });

  it('runs the live stream as GraphiQL sends it: a GET of text/event-stream with the headers the page adds', async () => {
    const html = await (
      await gateway.fetch('http://gateway/graphql', { headers: { accept: 'text/html' } })
    ).text();
    // The options the page renders GraphiQL with; the browser test (test/browser/) runs the page itself.
    const added = /"additionalHeaders":(\{[^}]*\})/.exec(html)?.[1];
    expect(added, 'GraphiQL additionalHeaders').toBeDefined();
    const params = new URLSearchParams({ query: GRAPHIQL_EXAMPLES, operationName: 'WatchGrantEvents' });
    const response = await gateway.fetch(`http://gateway/graphql?${params}`, {
      headers: {
        accept: 'text/event-stream',
        authorization: `Bearer ${mode.apiKey}`,
        ...(JSON.parse(added ?? '{}') as Record<string, string>),
      },
    });
    expect(response.status).toBe(200);
    const event = (await firstEvent(response)) as { data?: { gatewayEvents?: { __typename: string } } };
    expect(event.data?.gatewayEvents?.__typename).toBe('GatewayEvent');
  });
});
