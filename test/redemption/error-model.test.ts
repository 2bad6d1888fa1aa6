import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toRedeemError } from '../../src/graphql/errors/redemption-errors.js';
import { type GatewayHarness, OTHER_APP, startGateway } from '../helpers/gateway.js';
import { redeem } from '../helpers/redeem.js';

/**
 * Issue 13: StoreNotConfigured (the app has no configuration for the store a redemption names) was
 * mapped by nothing, so it would have reached the caller as a masked internal error. The resolver
 * checks the same condition first; whichever check catches it, the caller gets one answer.
 */

let g: GatewayHarness;
beforeAll(async () => {
  g = await startGateway();
});
afterAll(async () => {
  await g?.close();
});

describe('a redemption the app has no store for', () => {
  // OTHER_APP has ONE store and NHN Cloud, no Gamebase; the `other` key may write to it.
  const gamebase = { paymentSeq: '2024031512345678', purchaseToken: 'gb-token-0001' };

  it('the service refuses it as StoreNotConfigured, answered as the resolver answers it', async () => {
    // The service first: it opens the ledger (seconds under load), before any keep-alive socket.
    const service = await g.gateway.redemption();
    const refused = await service
      .redeem({ app: OTHER_APP, userId: 'player-1', target: { store: 'GAMEBASE', ...gamebase } })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toMatchObject({ name: 'StoreNotConfigured' });

    const resolverAnswer = await redeem(g, { app: OTHER_APP, userId: 'player-1', gamebase }, g.keys.other);
    const expected = {
      code: 'INVALID_INPUT',
      field: 'app',
      message: `App "${OTHER_APP}" has no Gamebase configuration.`,
    };
    expect(resolverAnswer).toEqual({
      __typename: 'InvalidInputError',
      ...expected,
      errorStore: null,
      storeCode: null,
    });
    expect(toRedeemError(refused)).toMatchObject({ ...expected, store: null, storeCode: null });

    // The metric keeps the domain name as its label.
    const metrics = await (await fetch(`${g.url}/metrics`)).text();
    expect(metrics).toContain('gateway_redemptions_total{store="GAMEBASE",result="StoreNotConfigured"} 1');
  });
});
