import { EVENT_TYPES, type EventData, type EventType } from '../../events/index.js';
import type { Grant, LedgerEvent, SupportGrant } from '../../ledger/index.js';
import type { PlayerEntitlement } from '../../players/index.js';
import { decodeCursorText, encodeCursorText, isCursorShaped } from '../../vocabulary/cursor.js';
import { authorize } from '../authorize.js';
import { builder, READ_OR_SUPPORT } from '../builder.js';
import { InvalidInputError } from '../errors/error-classes.js';
import { connection, pageSize, pagingArgs } from '../queries/paging.js';
import { MoneyType } from './common.js';
import {
  EnvironmentEnum,
  MarketEnum,
  StoreEnum,
  SubscriptionKindEnum,
  SubscriptionStatusEnum,
} from './enums.js';
import { GamebaseSubscriptionReadType } from './gamebase-subscription.js';
import { GrantType, LEDGER_READ_ERRORS, read } from './grant.js';
import { EntitlementMarkType, PlayerEntitlementType } from './player-entitlement.js';
import { PurchaseType } from './purchase.js';
import { SubscriptionType } from './subscription.js';
import { SupportGrantType } from './support-grant.js';

/**
 * An event as the API serves it: its data's grants are the ledger's Grant and SupportGrant, its
 * entitlement players/' (events/data.ts).
 */
export type GatewayEvent = LedgerEvent<EventData<Grant, SupportGrant, PlayerEntitlement>>;

const DESCRIPTIONS: Record<EventType, string> = {
  GRANT_CREATED: 'A redemption claimed the purchase: the grant is PENDING until the store change is proven.',
  GRANT_SETTLED: "The grant is SETTLED: the item is the player's. Deliver it, by grant id.",
  GRANT_REVOKED:
    'The store voided the purchase of a settled grant (refund, cancellation), or a support key revoked it (revokeGrant: revocation.source SUPPORT): take the item back. Never before GRANT_SETTLED.',
  GRANT_DROPPED:
    'A PENDING grant was removed before settling: the store made no change (e.g. refunded meanwhile); nothing was granted.',
  PURCHASE_ACKNOWLEDGED: 'acknowledgePurchase succeeded through the gateway.',
  PURCHASE_CONSUMED: 'consumePurchase succeeded through the gateway (ONE store or NHN Cloud).',
  SUBSCRIPTION_CANCELLED: 'cancelSubscription succeeded through the gateway.',
  SUBSCRIPTION_REACTIVATED: 'reactivateSubscription succeeded through the gateway.',
  SUBSCRIPTION_DEFERRED: 'deferSubscription succeeded through the gateway.',
  SUBSCRIPTION_PERIOD_REFUNDED:
    "The store refunded one paid period of a ONE store subscription or monthly product whose grant the ledger holds: written right after that grant's GRANT_REVOKED, in its transaction. `purchaseId` names the period, `grant` is that period's grant; the other periods' grants stay.",
  SUPPORT_GRANT_CREATED:
    'A support key gave the player an entitlement (grantEntitlement): `supportGrant` says which, until when, who and why.',
  SUPPORT_GRANT_REVOKED:
    'A support key revoked a support grant (revokeGrant): `supportGrant` as revoked. A store grant revoked by support is GRANT_REVOKED with revocation.source SUPPORT.',
  SUBSCRIPTION_RENEWED:
    "A tracked subscription has a new paid period (lastPurchaseId changed): `purchaseId` is the new period's. Redeem it for the period's grant. occurredAt: the period's start as the reads tell it (docs/events.md).",
  SUBSCRIPTION_EXPIRED:
    'A tracked subscription is over (EXPIRED, or CANCELLED at once): no more periods. occurredAt: its expiry (cancelledAt for an immediate cancellation).',
  SUBSCRIPTION_GRACE_STARTED:
    "A renewal payment failed; access continues until the grace period ends (결제유예). occurredAt: the failed payment's due time.",
  SUBSCRIPTION_ON_HOLD:
    'The grace period ran out unpaid: account hold (계정보류), no access until recovered. occurredAt: the end of access (expiresAt).',
  SUBSCRIPTION_RECOVERED:
    'A subscription in grace or on hold was paid: access is back (followed by SUBSCRIPTION_RENEWED for the period). occurredAt: the read.',
  SUBSCRIPTION_PAUSED: 'A pause started. occurredAt: the pause start.',
  SUBSCRIPTION_RESUMED:
    'A paused subscription runs again. occurredAt: the pause end (the read, if resumed early).',
  SUBSCRIPTION_RENEWAL_CANCELLED:
    'Auto-renew turned off (the player, or a plan change): usable until expiry, then no renewal. occurredAt: cancelledAt, else the read.',
  SUBSCRIPTION_RENEWAL_RESTORED: 'Auto-renew turned back on. occurredAt: the read.',
  SUBSCRIPTION_PRICE_CHANGE_PENDING:
    "A price change waits for the subscriber's consent (`subscription.priceChange`, with agreementDueAt: unagreed by then, it stops renewing). occurredAt: the change's applyTime.",
  SUBSCRIPTION_PRICE_CHANGE_AGREED:
    'The subscriber agreed to the pending price change. occurredAt: the read.',
  SUBSCRIPTION_PLAN_CHANGED:
    'The subscription replaced another (`subscription.linkedPurchaseToken` names the one replaced) or changed product. occurredAt: its start.',
  ENTITLEMENT_GRANTED:
    "The player's entitlement became active (it was inactive, or they never had it): a redemption, a subscription's access back. occurredAt: when the gateway computed it.",
  ENTITLEMENT_EXTENDED:
    'An active entitlement ends later than before (`previousEntitlement.expiresAt`), or never (expiresAt null): a stacked pass, a renewal.',
  ENTITLEMENT_REVOKED:
    'An active entitlement ended before its end (revocation, refund, hold, pause), or, with `entitlement.active` still true, now ends earlier than it did (one of two stacked passes refunded). occurredAt: when it ended.',
  ENTITLEMENT_EXPIRED:
    'An active entitlement reached its end (`previousEntitlement.expiresAt`). occurredAt: that end. Followed by ENTITLEMENT_GRANTED when a new run had already started by the time the gateway computed it.',
};

export const GatewayEventTypeEnum = builder.enumType('GatewayEventType', {
  values: Object.fromEntries(EVENT_TYPES.map((type) => [type, { description: DESCRIPTIONS[type] }])) as {
    [K in EventType]: { description: string };
  },
});

/** Opaque position after an event in its app's stream: base64url of `ev:<seq>`. */
export function encodeEventCursor(seq: string): string {
  return encodeCursorText(`ev:${seq}`);
}

/** The seq inside a cursor of {@link encodeEventCursor}, or null when it is not one. */
export function decodeEventCursor(cursor: string): string | null {
  if (!isCursorShaped(cursor, 64)) return null;
  const match = /^ev:([1-9][0-9]{0,15})$/.exec(decodeCursorText(cursor));
  return match?.[1] ?? null;
}

export const GatewayEventType = builder.objectRef<GatewayEvent>('GatewayEvent').implement({
  description:
    "Something that changed a grant, a purchase through the gateway, a tracked subscription (lifecycle events), a support grant, or a player's entitlements (ENTITLEMENT_*). Ordered per app; the same event always has the same id.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable: a redelivery carries the same id. Deduplicate on it.' }),
    cursor: t.string({
      description: 'Resume the stream after this event (`gatewayEvents(after:)`).',
      resolve: (e) => encodeEventCursor(e.seq),
    }),
    type: t.field({ type: GatewayEventTypeEnum, resolve: (e) => e.type }),
    app: t.exposeString('app'),
    environment: t.field({
      type: EnvironmentEnum,
      description:
        "Where the purchase it is about was paid: a grant's events its grant's, a subscription's lifecycle events its latest grant's, a change's the app's configured store environment. Webhook endpoints may take one environment only.",
      resolve: (e) => e.environment,
    }),
    occurredAt: t.expose('occurredAt', {
      type: 'DateTime',
      description:
        "When the ledger recorded it (UTC). Lifecycle events (SUBSCRIPTION_RENEWED …, seen by the scheduler's reads): when the store says it happened, never after observedAt. ENTITLEMENT_EXPIRED: the entitlement's end; ENTITLEMENT_REVOKED: when it ended; the other ENTITLEMENT_* events: when the gateway computed the change (gateway clock).",
    }),
    observedAt: t.expose('observedAt', {
      type: 'DateTime',
      description:
        "When the gateway had the store's evidence of the change (UTC): its answer, or, after a crash or an answer that proved nothing, a read of the store by the sweeper. GRANT_* events: the same as occurredAt.",
    }),
    requestedAt: t.expose('requestedAt', {
      type: 'DateTime',
      nullable: true,
      description:
        "PURCHASE_* and SUBSCRIPTION_* events: when the change was asked, its intent recorded before the store call (UTC). The change happened between requestedAt and observedAt. Null for the ledger's own events (GRANT_*, SUBSCRIPTION_PERIOD_REFUNDED), lifecycle events (nobody asked: the scheduler saw them) and events stored before intents.",
    }),
    grant: t.field({
      type: GrantType,
      nullable: true,
      description:
        "GRANT_* and SUBSCRIPTION_PERIOD_REFUNDED events: the grant as the change left it (for the latter, the refunded period's grant).",
      resolve: (e) => e.data.grant ?? null,
    }),
    supportGrant: t.field({
      type: SupportGrantType,
      nullable: true,
      description: 'SUPPORT_GRANT_* events: the support grant as the action left it.',
      resolve: (e) => e.data.supportGrant ?? null,
    }),
    store: t.field({
      type: StoreEnum,
      nullable: true,
      description:
        'PURCHASE_* and SUBSCRIPTION_* events: the store changed (or, SUBSCRIPTION_PERIOD_REFUNDED, refunding).',
      resolve: (e) => e.data.store ?? null,
    }),
    market: t.field({ type: MarketEnum, nullable: true, resolve: (e) => e.data.market ?? null }),
    productId: t.string({ nullable: true, resolve: (e) => e.data.productId ?? null }),
    purchase: t.field({
      type: PurchaseType,
      nullable: true,
      description:
        'ONE store PURCHASE_* events: the purchase read again after the change (null if that read failed).',
      resolve: (e) => e.data.purchase ?? null,
    }),
    subscription: t.field({
      type: SubscriptionType,
      nullable: true,
      description:
        'SUBSCRIPTION_* events: the subscription read again after the change (null if that read failed); lifecycle events: the read that saw it.',
      resolve: (e) => e.data.subscription ?? null,
    }),
    gamebaseSubscription: t.field({
      type: GamebaseSubscriptionReadType,
      nullable: true,
      description:
        'Lifecycle events of a tracked Gamebase AUTO_RENEWABLE subscription: the status read that saw the change (`subscription` is null for them).',
      resolve: (e) => e.data.gamebaseSubscription ?? null,
    }),
    subscriptionKind: t.field({
      type: SubscriptionKindEnum,
      nullable: true,
      resolve: (e) => e.data.kind ?? null,
    }),
    paymentSeq: t.string({
      nullable: true,
      description:
        "NHN Cloud PURCHASE_CONSUMED: the payment consumed. Gamebase lifecycle events: the latest period's paymentSeq.",
      resolve: (e) => e.data.paymentSeq ?? null,
    }),
    itemSeq: t.string({ nullable: true, resolve: (e) => e.data.itemSeq ?? null }),
    purchaseId: t.string({
      nullable: true,
      description:
        "SUBSCRIPTION_PERIOD_REFUNDED: the ONE store purchaseId of the refunded period (the voided entry's, or the notification's). SUBSCRIPTION_RENEWED: the new period's.",
      resolve: (e) => e.data.purchaseId ?? null,
    }),
    previousStatus: t.field({
      type: SubscriptionStatusEnum,
      nullable: true,
      description:
        "Lifecycle events: the subscription's status at the read before (null when none was kept). `subscription` is the read that saw the change.",
      resolve: (e) => e.data.previousStatus ?? null,
    }),
    userId: t.string({
      nullable: true,
      description: 'ENTITLEMENT_* events: the player (the subject is `player:<userId>`).',
      resolve: (e) => e.data.userId ?? null,
    }),
    entitlement: t.field({
      type: PlayerEntitlementType,
      nullable: true,
      description:
        'ENTITLEMENT_* events: the entitlement as computed after the change, as `player` shows it then.',
      resolve: (e) => e.data.entitlement ?? null,
    }),
    previousEntitlement: t.field({
      type: EntitlementMarkType,
      nullable: true,
      description: 'ENTITLEMENT_* events: the entitlement before the change (null: the player never had it).',
      resolve: (e) => e.data.previous ?? null,
    }),
    price: t.field({
      type: MoneyType,
      nullable: true,
      description:
        'NHN Cloud PURCHASE_CONSUMED: the price the store reported; null when the consume\'s answer was lost and the sweeper\'s repeat was answered "already consumed".',
      resolve: (e) => e.data.price ?? null,
    }),
  }),
});

export const GatewayEventConnection = builder.connectionObject({
  type: GatewayEventType,
  name: 'GatewayEventConnection',
});

builder.queryField('gatewayEvents', (t) =>
  t.field({
    type: GatewayEventConnection,
    description:
      "An app's events in the order they happened, from the ledger's outbox: catch up after a cursor (an event's `cursor`, or a page's endCursor). The same events the webhooks and the live stream carry.",
    errors: { types: [...LEDGER_READ_ERRORS] },
    authScopes: READ_OR_SUPPORT,
    args: {
      app: t.arg.string({ required: true }),
      types: t.arg({
        type: [GatewayEventTypeEnum],
        required: false,
        description: 'Only these types; default: all.',
      }),
      ...pagingArgs('Events'),
    },
    resolve: async (_root, args, ctx) => {
      authorize(ctx, args.app);
      const first = pageSize(args.first);
      const afterSeq = args.after == null ? null : decodeEventCursor(args.after);
      if (args.after != null && afterSeq === null)
        throw new InvalidInputError('after', 'after is not a cursor of this list.');
      const rows = await read(ctx, (grants) =>
        grants.events.after(args.app, afterSeq, first + 1, args.types ?? undefined),
      );
      const edges = rows.slice(0, first).map((node) => ({
        node: node as GatewayEvent,
        cursor: encodeEventCursor(node.seq),
      }));
      return connection(edges, {
        hasNextPage: rows.length > first,
        hasPreviousPage: afterSeq !== null,
        endCursor: edges.at(-1)?.cursor ?? args.after ?? null,
      });
    },
  }),
);
