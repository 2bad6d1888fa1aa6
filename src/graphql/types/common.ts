import type { Entitlement, Money, StoreTime } from '../../entitlements/records.js';
import { builder } from '../builder.js';
import { EntitlementReasonEnum } from './enums.js';

export const MoneyType = builder.objectRef<Money>('Money').implement({
  description: 'An amount of money; never a float.',
  fields: (t) => ({
    amount: t.exposeString('amount', {
      description: 'Decimal string as the store gives it, e.g. "4900" or "4.99".',
    }),
    amountMicros: t.exposeString('amountMicros', {
      nullable: true,
      description: 'amount × 1,000,000, when the store gives it.',
    }),
    currency: t.exposeString('currency', { description: 'ISO 4217 code, e.g. KRW.' }),
  }),
});

export const EntitlementType = builder.objectRef<Entitlement>('Entitlement').implement({
  description:
    'Whether the player may use what was bought now, until when, and why (rules in docs/entitlements.md).',
  fields: (t) => ({
    active: t.exposeBoolean('active'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    reason: t.field({ type: EntitlementReasonEnum, resolve: (e) => e.reason }),
  }),
});

export const StoreTimeType = builder.objectRef<StoreTime>('StoreTime').implement({
  description: 'A time exactly as the store sent it (milliseconds in its time basis), beside the UTC fields.',
  fields: (t) => ({
    field: t.exposeString('field', { description: "The store's field name, e.g. purchaseTime." }),
    millis: t.string({ resolve: (s) => String(s.millis) }),
  }),
});
