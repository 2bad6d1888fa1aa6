import { randomUUID } from 'node:crypto';
import { GamebaseClient, type GamebaseClientOptions } from '../../src/stores/gamebase/index.js';
import { NhnCloudClient, type NhnCloudClientOptions } from '../../src/stores/nhncloud/index.js';
import { OneStoreClient, type OneStoreClientOptions } from '../../src/stores/onestore/index.js';
import type { SandboxHarness } from './sandbox.js';

/** Fixtures for the store-client tests: fresh apps and purchases per test, clients wired to the sandbox. */

export interface OneStoreApp {
  clientId: string;
  clientSecret: string;
}

export async function newOneStoreApp(h: SandboxHarness): Promise<OneStoreApp> {
  const clientId = `com.example.game${randomUUID().slice(0, 8)}`;
  const clientSecret = `secret-${randomUUID()}`;
  await h.control('POST', '/onestore/apps', { clientId, clientSecret });
  return { clientId, clientSecret };
}

export interface CreatedPurchase {
  purchaseToken: string;
  purchaseId: string;
  productId: string;
}

export async function newPurchase(
  h: SandboxHarness,
  app: OneStoreApp,
  input: { productId?: string; type?: 'inapp' | 'auto' | 'subscription' } & Record<string, unknown> = {},
): Promise<CreatedPurchase> {
  const productId = input.productId ?? 'gem100';
  const created = await h.control<{ purchaseToken: string; purchaseId: string }>(
    'POST',
    '/onestore/purchases',
    {
      type: 'inapp',
      ...input,
      clientId: app.clientId,
      productId,
    },
  );
  return { purchaseToken: created.purchaseToken, purchaseId: created.purchaseId, productId };
}

/** Short backoff so retry tests stay quick; everything else at its default. */
export const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 50 };

export function oneStoreClient(
  h: SandboxHarness,
  app: OneStoreApp,
  extra: Partial<OneStoreClientOptions> = {},
): OneStoreClient {
  return new OneStoreClient({
    baseUrl: h.url,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    now: () => h.sandbox.clock.now(),
    http: { retry: FAST_RETRY },
    ...extra,
  });
}

export function nhnClient(h: SandboxHarness, extra: Partial<NhnCloudClientOptions> = {}): NhnCloudClient {
  return new NhnCloudClient({ baseUrl: h.url, http: { retry: FAST_RETRY }, ...extra });
}

export interface NhnPayment {
  appSeq: string;
  itemSeq: number;
  paymentSeq: string;
  purchaseToken: string;
  userKey: string;
}

export async function newNhnPayment(
  h: SandboxHarness,
  input: { price?: string | number; currency?: string; appSeq?: string } = {},
): Promise<NhnPayment> {
  const appSeq =
    input.appSeq ??
    String(
      (await h.control<{ appSeq: string | number }>('POST', '/nhncloud/apps', { appName: 'test app' }))
        .appSeq,
    );
  const item = await h.control<{ itemSeq: number }>('POST', '/nhncloud/items', {
    appSeq,
    itemName: 'gas',
    marketItemId: 'gas',
  });
  const userKey = `user-${randomUUID().slice(0, 8)}`;
  const payment = await h.control<{ paymentSeq: string; purchaseToken: string }>(
    'POST',
    '/nhncloud/payments',
    {
      appSeq,
      itemSeq: item.itemSeq,
      userKey,
      price: input.price ?? '1000',
      currency: input.currency ?? 'KRW',
    },
  );
  return {
    appSeq,
    itemSeq: item.itemSeq,
    paymentSeq: payment.paymentSeq,
    purchaseToken: payment.purchaseToken,
    userKey,
  };
}

export interface GamebaseApp {
  appId: string;
  secretKey: string;
}

export async function newGamebaseApp(h: SandboxHarness): Promise<GamebaseApp> {
  const app = { appId: `GB${randomUUID().slice(0, 8)}`, secretKey: `gb-secret-${randomUUID()}` };
  await h.control('POST', '/gamebase/apps', app);
  return app;
}

export function gamebaseClient(
  h: SandboxHarness,
  app: GamebaseApp,
  extra: Partial<GamebaseClientOptions> = {},
): GamebaseClient {
  return new GamebaseClient({ baseUrl: h.url, ...app, http: { retry: FAST_RETRY }, ...extra });
}

export interface GamebasePayment {
  paymentSeq: string;
  purchaseToken: string;
  userId: string;
  productSeq: number;
  paymentId: string;
  /** The store's own purchase token (Get Payment Transaction's `paymentToken`). */
  paymentToken: string;
}

/** A payment through the control API; `userId` is fresh unless given. */
export async function newGamebasePayment(
  h: SandboxHarness,
  app: GamebaseApp,
  input: Record<string, unknown> = {},
): Promise<GamebasePayment> {
  const created = await h.control<{
    paymentSeq: string;
    accessToken: string;
    userId: string;
    productSeq: number;
    paymentId: string;
    paymentToken: string;
  }>('POST', '/gamebase/payments', {
    appId: app.appId,
    userId: `GG@${randomUUID().slice(0, 12).toUpperCase()}`,
    gamebaseProductId: 'gem_100',
    price: '1200',
    currency: 'KRW',
    ...input,
  });
  return {
    paymentSeq: created.paymentSeq,
    purchaseToken: created.accessToken,
    userId: created.userId,
    productSeq: created.productSeq,
    paymentId: created.paymentId,
    paymentToken: created.paymentToken,
  };
}

/** Captures a thrown value so a test can assert on it. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}
