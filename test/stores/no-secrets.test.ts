import { inspect } from 'node:util';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isStoreError } from '../../src/stores/errors.js';
import type { StoreLogger } from '../../src/stores/logger.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import {
  FAST_RETRY,
  gamebaseClient,
  newGamebaseApp,
  newGamebasePayment,
  newNhnPayment,
  newOneStoreApp,
  newPurchase,
  nhnClient,
  oneStoreClient,
} from '../helpers/stores.js';

const h = useSandbox();
const lines: string[] = [];
// A real pino logger: proves the hook is pino-compatible and lets us read every line it writes.
const logger: StoreLogger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });

describe('secrets never reach error messages or logs', () => {
  it('across failures of all three stores, no client secret, access token or purchase token is visible', async () => {
    const app = await newOneStoreApp(h);
    const client = oneStoreClient(h, app, { logger, http: { retry: FAST_RETRY, deadlineMs: 200 } });
    const wrongSecret = oneStoreClient(h, { ...app, clientSecret: `${app.clientSecret}x` }, { logger });
    const nhn = nhnClient(h, { logger });
    const purchase = await newPurchase(h, app, { developerPayload: 'payload' });
    const accessToken = await client.getAccessToken();
    const payment = await newNhnPayment(h);
    const gbApp = await newGamebaseApp(h);
    const gb = gamebaseClient(h, gbApp, { logger });
    const gbWrongKey = gamebaseClient(h, { ...gbApp, secretKey: `${gbApp.secretKey}x` }, { logger });
    const gbPayment = await newGamebasePayment(h, gbApp);
    const secrets = [
      app.clientSecret,
      accessToken,
      purchase.purchaseToken,
      payment.purchaseToken,
      gbApp.secretKey,
      gbPayment.purchaseToken,
    ];

    const fault = (spec: Record<string, unknown>) => h.control('POST', '/faults', spec);
    const errors: unknown[] = [];
    const attempt = async (call: () => Promise<unknown>) => {
      try {
        await call();
      } catch (err) {
        errors.push(err);
      }
    };

    await attempt(() => wrongSecret.getPurchaseDetails(purchase));
    await client.consumePurchase(purchase);
    await attempt(() => client.consumePurchase(purchase));
    await attempt(() =>
      client.getPurchaseDetails({ ...purchase, purchaseToken: `${purchase.purchaseToken}/..` }),
    );
    await fault({ endpoint: 'onestore.getPurchaseDetails', code: 'InvalidAccessToken', count: 2 });
    await attempt(() => client.getPurchaseDetails(purchase));
    await fault({ endpoint: 'onestore.acknowledgePurchase', status: 502, count: 1 });
    await attempt(() => client.acknowledgePurchase(purchase));
    await fault({ endpoint: 'onestore.getPurchaseDetails', status: 500, count: 3 });
    await attempt(() => client.getPurchaseDetails(purchase));
    await fault({ endpoint: 'onestore.getPurchaseDetails', status: 200, count: 1 });
    await attempt(() => client.getPurchaseDetails(purchase));
    await fault({ endpoint: 'onestore.getPurchaseDetails', latencyMs: 1000, count: 1 });
    await attempt(() => client.getPurchaseDetails(purchase));
    await fault({ endpoint: 'onestore.consumePurchase', drop: true, count: 1 });
    await attempt(() => client.consumePurchase(purchase));
    await nhn.consume(payment);
    await attempt(() => nhn.consume(payment));
    await attempt(() => nhn.consume({ ...payment, purchaseToken: `${payment.purchaseToken}"` }));
    await fault({ endpoint: 'nhncloud.consume', status: 500, count: 1 });
    await attempt(() => nhn.consume(payment));
    await attempt(() => gbWrongKey.getPaymentTransaction(gbPayment));
    await attempt(() => gb.getPaymentTransaction({ ...gbPayment, paymentSeq: '1' }));
    await fault({ endpoint: 'gamebase.paymentTransaction', status: 500, count: 3 });
    await attempt(() => gb.getPaymentTransaction(gbPayment));
    await attempt(() => gb.consume({ ...gbPayment, purchaseToken: `${gbPayment.purchaseToken}"` }));
    await fault({ endpoint: 'gamebase.consume', phase: 'after', drop: true, count: 1 });
    await attempt(() => gb.consume(gbPayment));
    await attempt(() => gb.consume(gbPayment));
    await h.control('POST', '/maintenance', { on: true, store: 'all', retryAfterSeconds: 60 });
    await attempt(() => gb.listConsumables({ userId: gbPayment.userId }));
    await attempt(() => client.getVoidedPurchases());
    await attempt(() => nhn.getConsumableList({ appSeq: payment.appSeq, userKey: payment.userKey }));
    await h.control('POST', '/maintenance', { on: false, store: 'all' });

    expect(errors).toHaveLength(21);
    expect(errors.every(isStoreError)).toBe(true);
    expect(lines.length).toBeGreaterThan(10);
    const visible = [...errors.map((err) => `${String(err)}\n${inspect(err, { depth: 10 })}`), ...lines].join(
      '\n',
    );
    for (const secret of secrets) expect(visible).not.toContain(secret);
    // URLs would carry purchase tokens: none is shown.
    expect(visible).not.toContain('/v7/apps/');
    expect(visible).not.toContain('/inapp/v3/consume/');
    expect(visible).not.toContain('/tcgb-inapp/');
    expect(visible).not.toContain('accessToken=');

    await Promise.all([client.close(), wrongSecret.close(), nhn.close(), gb.close(), gbWrongKey.close()]);
  });
});
