import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_PNS_PUBLIC_KEY } from '../../src/sandbox/index.js';
import { DEMO_PNS_PRIVATE_KEY } from '../../src/sandbox/onestore/pns-demo-key.js';
import { createLogger } from '../../src/server/logger.js';
import { APP, purchase, startGateway } from '../helpers/gateway.js';
import { postNotice, sandboxNotice, signedWith } from '../helpers/pns.js';
import { redeem } from '../helpers/redeem.js';

/**
 * Issue 27: a ONE store payment notification names its environment (SANDBOX or COMMERCIAL). It
 * decides nothing (the grant keeps the environment its redemption gave it), but one that is not the
 * app's configured environment is logged, for an operator to look at the config.
 */
describe('a ONE store notification of another environment', () => {
  it("is handled as any other, its environment logged when it is not the config's", async () => {
    const raw: string[] = [];
    const log = createLogger({ level: 'info' }, { write: (line: string) => void raw.push(line) });
    // The harness's app A: ONE store environment `sandbox` (the default).
    const g = await startGateway({ licensePublicKey: DEMO_PNS_PUBLIC_KEY, gatewayOptions: { logger: log } });
    try {
      const p = await purchase(g);
      const redeemed = await redeem(g, {
        app: APP,
        userId: `player-${randomUUID().slice(0, 8)}`,
        onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
      });
      expect(redeemed.__typename).toBe('RedeemPurchaseSuccess');
      const sandbox = sandboxNotice(g, p.purchaseToken, 'COMPLETED');
      const commercial = signedWith({ ...sandbox, environment: 'COMMERCIAL' }, DEMO_PNS_PRIVATE_KEY);
      for (const notice of [sandbox, commercial])
        expect(await postNotice(g, APP, notice)).toMatchObject({
          status: 200,
          body: { outcome: 'unchanged' },
        });
      const lines = raw
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.msg === 'onestore notification');
      expect(lines.map((l) => [l.result, l.outcome, l.otherEnvironment])).toEqual([
        ['accepted', 'unchanged', undefined],
        ['accepted', 'unchanged', 'COMMERCIAL'],
      ]);
      const grant = await g.gql(
        `query ($id: ID!) { grant(app: "${APP}", id: $id) { ... on Grant { environment } } }`,
        {
          id: redeemed.grant?.id,
        },
      );
      expect(grant.data.grant).toEqual({ environment: 'SANDBOX' });
    } finally {
      await g.close();
    }
  });
});
