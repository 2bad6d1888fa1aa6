import { type ActionInput, applyAction } from './control/onestore-actions.js';
import type { SandboxCore } from './core.js';
import { gamebaseDemoInfo, loadGamebaseDemo } from './gamebase/demo.js';
import { DAY_MS } from './onestore/model.js';
import { DEMO_PNS_PUBLIC_KEY } from './onestore/pns-demo-key.js';
import type { NewPurchase } from './onestore/state.js';

export const DEMO_ONESTORE = {
  clientId: 'com.example.demo.game',
  clientSecret: 'sandbox-demo-secret',
} as const;
export { DEMO_GAMEBASE } from './gamebase/demo.js';
export const DEMO_NHN = { appSeq: '1000272', userKey: 'tester', userChannel: 'GF' } as const;
const HOUR_MS = 3_600_000;
const DEMO_ONESTORE_ITEMS = [
  ['100 gems', 'gem_100'],
  ['500 gems', 'gem_500'],
  ['Premium pass', 'premium_pass'],
  ['VIP monthly', 'vip_monthly'],
  ['Pro subscription', 'pro_subscription'],
  ['Premium (global)', 'premium_global'],
] as const;

type DemoPurchase = Omit<NewPurchase, 'clientId'> & {
  note: string;
  action?: 'void' | 'cancel' | 'pause' | 'grace' | 'hold' | 'priceChange';
  /** The action's body; default none. */
  input?: ActionInput;
  /** Bought this many days ago instead of an hour ago. */
  daysAgo?: number;
};

/** Fixed tokens so the README's and GraphiQL's examples work on every start. */
const PURCHASES: DemoPurchase[] = [
  {
    note: 'purchased, waiting for acknowledge/consume',
    type: 'inapp',
    productId: 'gem_100',
    purchaseToken: 'DEMOINAPP00000000001',
    developerPayload: 'order-1001',
    quantity: 2,
  },
  {
    note: 'acknowledged (non-consumable)',
    type: 'inapp',
    productId: 'premium_pass',
    purchaseToken: 'DEMOINAPP00000000002',
    acknowledged: true,
  },
  {
    note: 'consumed',
    type: 'inapp',
    productId: 'gem_500',
    purchaseToken: 'DEMOINAPP00000000003',
    consumed: true,
  },
  {
    note: 'refunded: in the voided list',
    type: 'inapp',
    productId: 'gem_100',
    purchaseToken: 'DEMOINAPP00000000004',
    acknowledged: true,
    action: 'void',
  },
  {
    note: 'global market (x-market-code: MKT_GLB)',
    type: 'inapp',
    productId: 'gem_100',
    purchaseToken: 'DEMOINAPP00000000005',
    market: 'MKT_GLB',
  },
  {
    note: 'monthly, renewing',
    type: 'auto',
    productId: 'vip_monthly',
    purchaseToken: 'DEMOAUTO000000000001',
    acknowledged: true,
  },
  {
    note: 'monthly, auto-payment stopped by the customer',
    type: 'auto',
    productId: 'vip_monthly',
    purchaseToken: 'DEMOAUTO000000000002',
    acknowledged: true,
    action: 'cancel',
  },
  {
    note: 'subscription, active',
    type: 'subscription',
    productId: 'pro_subscription',
    purchaseToken: 'DEMOSUBS000000000001',
    price: '4900',
    acknowledged: true,
  },
  {
    note: 'subscription, cancellation reserved',
    type: 'subscription',
    productId: 'pro_subscription',
    purchaseToken: 'DEMOSUBS000000000002',
    price: '4900',
    acknowledged: true,
    action: 'cancel',
  },
  {
    note: 'subscription, pause reserved',
    type: 'subscription',
    productId: 'pro_subscription',
    purchaseToken: 'DEMOSUBS000000000003',
    price: '4900',
    acknowledged: true,
    action: 'pause',
  },
  {
    note: 'subscription, in grace period (payment failed)',
    type: 'subscription',
    productId: 'pro_subscription',
    purchaseToken: 'DEMOSUBS000000000004',
    price: '4900',
    acknowledged: true,
    action: 'grace',
  },
  {
    note: 'subscription, on hold (payment failed, no access)',
    type: 'subscription',
    productId: 'pro_subscription',
    purchaseToken: 'DEMOSUBS000000000007',
    price: '4900',
    acknowledged: true,
    action: 'hold',
  },
  {
    note: 'subscription, price change waiting for consent',
    type: 'subscription',
    productId: 'pro_subscription',
    purchaseToken: 'DEMOSUBS000000000008',
    price: '4900',
    acknowledged: true,
    action: 'priceChange',
    input: { price: '5900' },
  },
  {
    note: 'subscription, free trial, then 2 periods at a promotion price',
    type: 'subscription',
    productId: 'pro_subscription',
    purchaseToken: 'DEMOSUBS000000000009',
    price: '4900',
    acknowledged: true,
    trialDays: 7,
    promotion: { price: '990', periods: 2 },
  },
  {
    note: 'subscription, expired',
    type: 'subscription',
    productId: 'pro_subscription',
    purchaseToken: 'DEMOSUBS000000000005',
    price: '4900',
    acknowledged: true,
    action: 'cancel',
    daysAgo: 40,
  },
  {
    note: 'subscription, global market, USD',
    type: 'subscription',
    productId: 'premium_global',
    purchaseToken: 'DEMOSUBS000000000006',
    price: '4.99',
    currency: 'USD',
    market: 'MKT_GLB',
    acknowledged: true,
  },
];

/** One app per store (ONE store, NHN Cloud, Gamebase) with purchases of every kind and state, NHN items and unconsumed payments. */
export function loadDemo(core: SandboxCore): void {
  const now = core.clock.now();
  core.onestore.addApp(DEMO_ONESTORE.clientId, DEMO_ONESTORE.clientSecret);
  const { ids, voided } = core.onestore;
  for (const { note: _note, action, input, daysAgo, ...spec } of PURCHASES) {
    const at = daysAgo === undefined ? now - HOUR_MS : now - daysAgo * DAY_MS;
    // Actions happen a day after the purchase, so an old one has lived its story (e.g. cancelled, then expired).
    const p = core.onestore.create({ ...spec, clientId: DEMO_ONESTORE.clientId, purchaseTime: at }, at);
    if (action) applyAction(p, action, { now: Math.min(at + DAY_MS, now), ids, voided, input: input ?? {} });
    core.onestore.find(p.purchaseToken, now);
  }
  const app = core.nhn.addApp({
    appSeq: DEMO_NHN.appSeq,
    appName: 'Demo game',
    marketAppId: 'com.example.demo.game',
  });
  const gas = core.nhn.addItem(
    { appSeq: app.appSeq, itemName: 'Gas', marketItemId: 'gas', itemSeq: 1000292 },
    now,
  );
  const gems = core.nhn.addItem(
    { appSeq: app.appSeq, itemName: 'Gem pack', marketItemId: 'gem_pack', itemSeq: 1000293 },
    now,
  );
  // The ONE store products registered as items too (marketId TS), so purchases resolve their item.
  for (const [itemName, marketItemId] of DEMO_ONESTORE_ITEMS) {
    core.nhn.addItem({ appSeq: app.appSeq, itemName, marketItemId, marketId: 'TS' }, now);
  }
  const user = { appSeq: app.appSeq, userKey: DEMO_NHN.userKey, userChannel: DEMO_NHN.userChannel };
  core.nhn.addPayment(
    {
      ...user,
      itemSeq: gas.itemSeq,
      price: '1000',
      currency: 'KRW',
      paymentSeq: '2016122110023124',
      purchaseToken: 'demo-token-gas-1',
    },
    now,
  );
  core.nhn.addPayment(
    {
      ...user,
      itemSeq: gems.itemSeq,
      price: '3300',
      currency: 'KRW',
      paymentSeq: '2016122110023125',
      purchaseToken: 'demo-token-gems-1',
    },
    now,
  );
  const used = core.nhn.addPayment(
    {
      ...user,
      itemSeq: gas.itemSeq,
      price: '1000',
      currency: 'KRW',
      paymentSeq: '2016122110023126',
      purchaseToken: 'demo-token-gas-2',
    },
    now,
  );
  used.consumed = true;
  loadGamebaseDemo(core.gamebase, now);
}

/** What a person needs to try the demo, read from the current state (so it shows changes too). */
export function demoInfo(core: SandboxCore, baseUrl: string) {
  const now = core.clock.now();
  const notes = new Map(PURCHASES.map((p) => [p.purchaseToken, p.note]));
  const purchases = [...core.onestore.purchases.values()]
    .filter((p) => p.clientId === DEMO_ONESTORE.clientId)
    .map((p) => {
      core.onestore.find(p.purchaseToken, now);
      return {
        type: p.type,
        productId: p.productId,
        purchaseToken: p.purchaseToken,
        market: p.market,
        note: notes.get(p.purchaseToken) ?? '',
      };
    });
  const payments = [...core.nhn.payments.values()]
    .filter((p) => p.appSeq === DEMO_NHN.appSeq)
    .map(({ paymentSeq, itemSeq, userKey, userChannel, purchaseToken, consumed, price, currency }) => ({
      paymentSeq,
      itemSeq,
      userKey,
      userChannel,
      purchaseToken,
      consumed,
      price,
      currency,
    }));
  return {
    baseUrl,
    onestore: {
      ...DEMO_ONESTORE,
      purchases,
      // Demo only: the public half of the key pair every sandbox payment notification is signed with.
      pns: {
        licensePublicKey: DEMO_PNS_PUBLIC_KEY,
        notificationUrl: core.pns.url(DEMO_ONESTORE.clientId),
      },
    },
    nhncloud: {
      appSeq: DEMO_NHN.appSeq,
      items: [...core.nhn.items.values()].filter((i) => i.appSeq === DEMO_NHN.appSeq),
      payments,
    },
    gamebase: gamebaseDemoInfo(core.gamebase),
  };
}
