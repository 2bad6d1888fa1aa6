import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../src/server/create-gateway.js';
import { createLogger } from '../../src/server/logger.js';
import { createGatewayServer } from '../../src/server/node-listener.js';
import {
  DEMO_APP,
  pointSandboxAtGateway,
  type SandboxMode,
  startSandboxMode,
} from '../../src/server/sandbox-mode.js';
import { waitFor } from '../helpers/pns.js';

/**
 * `npm start` without a config: the demo app's config carries the demo licence key and the
 * embedded sandbox posts its payment notifications to the gateway, so voiding a redeemed demo
 * purchase through the control API revokes its grant at once. One access line per notification,
 * with ids and codes only.
 */
describe('sandbox mode: the sandbox notifies the gateway', () => {
  let mode: SandboxMode;
  let gateway: Gateway;
  let server: Server;
  let url = '';
  const raw: string[] = [];
  const log = createLogger({ level: 'info' }, { write: (line: string) => void raw.push(line) });
  const lines = () =>
    raw.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'onestore notification');

  beforeAll(async () => {
    mode = await startSandboxMode({ perKeyPerMinute: 0 });
    gateway = createGateway(mode.config, { ...mode.options, logger: log });
    server = createGatewayServer(gateway);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(pointSandboxAtGateway(mode.sandbox, url)).toBe(`${url}/notifications/onestore/${DEMO_APP}`);
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await gateway?.dispose();
    await mode?.sandbox.close();
  });

  const gql = async (query: string, variables: object = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mode.apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    return ((await response.json()) as { data: Record<string, unknown> }).data;
  };
  const control = async (path: string, body: object = {}) =>
    (await fetch(`${mode.sandbox.url}/sandbox/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json())) as Record<string, string>;

  it('a demo purchase voided through the control API is revoked at once, and the URL survives a reset', async () => {
    // A reset (as tests and operators do) keeps the gateway's notification URL.
    await control('/reset', { demo: true });
    const p = await control('/onestore/purchases', {
      clientId: mode.config.apps.get(DEMO_APP)?.onestore?.clientId ?? '',
      productId: 'gem_100',
      type: 'inapp',
    });
    await waitFor(() => mode.sandbox.stats().notifications.delivered === 1);
    const REDEEM = `mutation ($input: RedeemPurchaseInput!) { redeemPurchase(input: $input) {
      __typename ... on RedeemPurchaseSuccess { grant { id revokedAt } } } }`;
    const redeemed = (await gql(REDEEM, {
      input: {
        app: DEMO_APP,
        userId: 'player-1',
        onestore: { productId: 'gem_100', purchaseToken: p.purchaseToken },
      },
    })) as { redeemPurchase: { grant: { id: string; revokedAt: string | null } } };
    expect(redeemed.redeemPurchase.grant.revokedAt).toBeNull();
    await control(`/onestore/purchases/${p.purchaseToken}/void`);
    await waitFor(() => mode.sandbox.stats().notifications.delivered === 2);
    const GRANT = `query ($id: ID!) { grant(app: "${DEMO_APP}", id: $id) { ... on Grant { revokedAt revocation { source } } } }`;
    expect(await gql(GRANT, { id: redeemed.redeemPurchase.grant.id })).toEqual({
      grant: { revokedAt: expect.any(String), revocation: { source: 'onestore.pns' } },
    });
    const [completed, cancelled, ...more] = lines();
    expect(more).toEqual([]);
    expect(completed).toMatchObject({ status: 200, app: DEMO_APP, result: 'accepted', outcome: 'no_grant' });
    expect(cancelled).toMatchObject({
      level: 30,
      status: 200,
      app: DEMO_APP,
      result: 'accepted',
      outcome: 'revoked',
      purchaseId: p.purchaseId,
      purchaseState: 'CANCELED',
      grantIds: [redeemed.redeemPurchase.grant.id],
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    // Never the body or the signature.
    expect(raw.join('\n')).not.toMatch(/signature|billingKey|developerPayload/);
  });
});
