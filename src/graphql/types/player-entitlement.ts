import type { PlayerEntitlement } from '../../players/index.js';
import { builder } from '../builder.js';
import { EnvironmentEnum, StoreEnum } from './enums.js';

// The entitlement as `player` computes it: served by Player.entitlements and by the ENTITLEMENT_*
// events (gateway-event.ts), which both import it from here.

export const PeriodTypeEnum = builder.enumType('EntitlementPeriodType', {
  values: {
    FOREVER: { description: 'Granted `forever` by a one-time product.' },
    DAYS: {
      description:
        "Granted for `{ days: N }` from each grant, or (source SUPPORT) until a support grant's `until`.",
    },
    SUBSCRIPTION: { description: "Granted `whileSubscribed`: until the subscription's paid time ends." },
  },
});

export const EntitlementSourceEnum = builder.enumType('EntitlementSource', {
  values: {
    GRANT: { description: 'A grant gives it (a one-time or consumable product).' },
    SUBSCRIPTION: { description: "A subscription's paid periods give it." },
    SUPPORT: {
      description:
        'A support grant gives it (grantEntitlement by a `support` key): store and productId are null, grantId is the support grant.',
    },
  },
});

export const PlayerEntitlementType = builder.objectRef<PlayerEntitlement>('PlayerEntitlement').implement({
  description: "One entitlement of the app's catalogue the player has, or had (active false).",
  fields: (t) => ({
    id: t.exposeID('id', { description: "The catalogue's entitlement id, e.g. vip." }),
    active: t.exposeBoolean('active'),
    since: t.expose('since', {
      type: 'DateTime',
      description: 'The first grant of the unbroken run it is in (UTC).',
    }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it ends (UTC); null: forever (active), or no fact tells (inactive).',
    }),
    willRenew: t.exposeBoolean('willRenew', {
      nullable: true,
      description:
        "False for a grant; for a subscription, the store's at the scheduler's last read (null: not read yet).",
    }),
    periodType: t.field({ type: PeriodTypeEnum, resolve: (e) => e.periodType }),
    billingIssue: t.exposeBoolean('billingIssue', {
      nullable: true,
      description: 'A failed renewal (grace, hold); null: the ledger does not know.',
    }),
    store: t.field({
      type: StoreEnum,
      nullable: true,
      description:
        'The store of the grant that ends last; null when that is a support grant (source SUPPORT).',
      resolve: (e) => e.store,
    }),
    productId: t.exposeString('productId', {
      nullable: true,
      description: 'The product of the grant that ends last; null when that is a support grant.',
    }),
    source: t.field({ type: EntitlementSourceEnum, resolve: (e) => e.source }),
    grantId: t.exposeID('grantId', {
      description: 'The grant that ends last: a store grant, or (source SUPPORT) the support grant.',
    }),
    environment: t.field({
      type: EnvironmentEnum,
      description: 'The environment of the grant that ends last (grantId): SANDBOX for a test purchase.',
      resolve: (e) => e.environment,
    }),
  }),
});

export const EntitlementMarkType = builder
  .objectRef<{ active: boolean; expiresAt: Date | null }>('EntitlementPrevious')
  .implement({
    description:
      'An entitlement as the gateway\'s computation before an ENTITLEMENT_* event left it (docs/events.md, "Entitlement events").',
    fields: (t) => ({
      active: t.exposeBoolean('active'),
      expiresAt: t.expose('expiresAt', {
        type: 'DateTime',
        nullable: true,
        description: 'Its end then (UTC); null: forever (active), or no fact told (inactive).',
      }),
    }),
  });
