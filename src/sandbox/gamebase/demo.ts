import type { GamebaseState, NewGamebasePayment } from './state.js';
import { addSubscription } from './subscription-actions.js';

/** The demo Gamebase app: its id, secret key and the user whose payments it holds. */
export const DEMO_GAMEBASE = {
  appId: 'DEMOGBAP',
  secretKey: 'sandbox-gamebase-secret',
  userId: 'AS@DEMOUSER0001',
  /** The store app id its subscriptions are registered under (List Active Subscriptions' packageName). */
  packageName: 'com.example.game',
} as const;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

type DemoPayment = Omit<NewGamebasePayment, 'appId' | 'userId'> & { note: string };

/**
 * Fixed paymentSeqs and tokens so examples work on every start. The product ids are the demo ONE
 * store products', so one catalogue serves both stores.
 */
const PAYMENTS: DemoPayment[] = [
  {
    note: 'unconsumed, ONE store',
    paymentSeq: '2026112310000001',
    accessToken: 'demo-gb-token-gem100-1',
    gamebaseProductId: 'gem_100',
    productType: 'CONSUMABLE',
    storeCode: 'ONESTORE',
    price: '1200',
    currency: 'KRW',
    payload: 'order-2001',
  },
  {
    note: 'unconsumed, ONE store',
    paymentSeq: '2026112310000002',
    accessToken: 'demo-gb-token-gem500-1',
    gamebaseProductId: 'gem_500',
    productType: 'CONSUMABLE',
    storeCode: 'ONESTORE',
    price: '5500',
    currency: 'KRW',
  },
  {
    note: 'unconsumed, Google Play, USD',
    paymentSeq: '2026112310000003',
    accessToken: 'demo-gb-token-gem100-2',
    gamebaseProductId: 'gem_100',
    productType: 'CONSUMABLE',
    storeCode: 'GG',
    price: '0.99',
    currency: 'USD',
  },
  {
    note: 'subscription (AUTO_RENEWABLE, monthly, renews with the sandbox clock): never consumable',
    paymentSeq: '2026112310000004',
    accessToken: 'demo-gb-token-vip-1',
    gamebaseProductId: 'vip_monthly',
    productType: 'AUTO_RENEWABLE',
    storeCode: 'ONESTORE',
    price: '9900',
    currency: 'KRW',
  },
];

export function loadGamebaseDemo(state: GamebaseState, now: number): void {
  state.addApp(DEMO_GAMEBASE.appId, DEMO_GAMEBASE.secretKey);
  for (const { note: _note, ...spec } of PAYMENTS) {
    const purchaseTime = now - HOUR_MS;
    const fixed = {
      appId: DEMO_GAMEBASE.appId,
      userId: DEMO_GAMEBASE.userId,
      purchaseTime,
      paymentToken: `DEMO-PT-${spec.paymentSeq}`,
    };
    if (spec.productType === 'AUTO_RENEWABLE') {
      addSubscription(
        state,
        {
          ...fixed,
          gamebaseProductId: spec.gamebaseProductId,
          price: spec.price,
          currency: spec.currency,
          ...(spec.storeCode !== undefined && { storeCode: spec.storeCode }),
          ...(spec.paymentSeq !== undefined && { paymentSeq: spec.paymentSeq }),
          ...(spec.accessToken !== undefined && { accessToken: spec.accessToken }),
          packageName: DEMO_GAMEBASE.packageName,
          originalPaymentId: `DEMO.${spec.paymentSeq}`,
          periodMs: 30 * DAY_MS,
        },
        now,
      );
      continue;
    }
    state.addPayment({ ...spec, ...fixed, paymentId: `DEMO.${spec.paymentSeq}` }, now);
  }
}

/** The demo app's payments as they are now (consumed and refunded ones included). */
export function gamebaseDemoInfo(state: GamebaseState) {
  const notes = new Map(PAYMENTS.map((p) => [p.paymentSeq, p.note]));
  const payments = [...state.payments.values()]
    .filter((p) => p.appId === DEMO_GAMEBASE.appId)
    .map((p) => ({
      paymentSeq: p.paymentSeq,
      accessToken: p.accessToken,
      userId: p.userId,
      gamebaseProductId: p.gamebaseProductId,
      productType: p.productType,
      storeCode: p.storeCode,
      price: p.price,
      currency: p.currency,
      status: p.status,
      note: notes.get(p.paymentSeq) ?? '',
    }));
  return { ...DEMO_GAMEBASE, payments };
}
