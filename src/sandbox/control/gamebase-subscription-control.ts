import { z } from 'zod';
import type { SandboxCore } from '../core.js';
import { type GamebaseSubscription, STORE_CODES } from '../gamebase/state.js';
import {
  addSubscription,
  applySubscriptionAction,
  SUBSCRIPTION_ACTIONS,
  type SubscriptionAction,
  SubscriptionActionRefused,
} from '../gamebase/subscription-actions.js';
import { referenceStatusOf, settleSubscription } from '../gamebase/subscription-model.js';
import type { Reply } from '../http-io.js';

/**
 * The Gamebase subscription part of the control API: buy a subscription, read it (settled to the
 * sandbox clock), and act on it (`subscription-actions.ts` says what each action does).
 */

const DECIMAL = /^\d{1,12}(\.\d{1,6})?$/;
const decimal = z.union([
  z.string().regex(DECIMAL),
  z.number().transform(String).pipe(z.string().regex(DECIMAL)),
]);
const time = z.union([z.number().int(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);
const days = z.number().positive().max(3650).optional();

export const subscriptionSchemas = {
  subscription: z.object({
    appId: z.string().min(1).max(64),
    userId: z.string().regex(/^[\x21-\x7e]{1,128}$/),
    packageName: z
      .string()
      .regex(/^[\x21-\x7e]{1,255}$/)
      .optional(),
    gamebaseProductId: z.string().min(1).max(200),
    productId: z.string().min(1).max(200).optional(),
    productType: z.enum(['AUTO_RENEWABLE', 'CONSUMABLE_AUTO_RENEWABLE']).optional(),
    storeCode: z.enum(STORE_CODES).optional(),
    price: decimal,
    currency: z.string().regex(/^[A-Z]{3}$/),
    /** A period of at least a minute (default 30 days). */
    periodMs: z.number().int().min(60_000).optional(),
    purchaseTime: time.optional(),
    paymentSeq: z
      .string()
      .regex(/^\d{1,20}$/)
      .optional(),
    originalPaymentId: z.string().min(1).max(200).optional(),
    linkedPaymentId: z.string().min(1).max(200).nullable().optional(),
    payload: z.string().max(1000).nullable().optional(),
    isTestPurchase: z.boolean().optional(),
  }),
  action: z
    .object({
      days,
      holdDays: days,
      paymentSeq: z
        .string()
        .regex(/^\d{1,20}$/)
        .optional(),
    })
    .optional(),
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What the control API shows of a subscription: the record, its status code, times in ISO form. */
export function subscriptionView(core: SandboxCore, s: GamebaseSubscription) {
  return {
    ...s,
    referenceStatus: referenceStatusOf(s),
    expiryTimeIso: iso(s.expiryTime),
    renewTimeIso: iso(s.renewTime),
    periods: s.periods.map((seq) => {
      const p = core.gamebase.payments.get(seq);
      return {
        paymentSeq: seq,
        accessToken: p?.accessToken ?? null,
        paymentId: p?.paymentId ?? null,
        purchaseTimeIso: iso(p?.purchaseTime ?? null),
        expiryTimeIso: iso(p?.expiryTime ?? null),
        status: p?.status ?? null,
      };
    }),
  };
}

type Parse = <T extends z.ZodType>(schema: T, body: unknown) => z.infer<T>;

const json = (status: number, body: unknown): Reply => ({ status, body });
const problem = (status: number, message: string): Reply => json(status, { error: { message } });

const SUBSCRIPTION = /^(GET|POST) \/gamebase\/subscriptions\/(\d{1,20})(?:\/([a-z]+))?$/;

/** Answers `key` ("METHOD /path") when it is a Gamebase subscription control call, else `undefined`. */
export function routeGamebaseSubscriptionControl(
  key: string,
  body: unknown,
  core: SandboxCore,
  parse: Parse,
): Reply | undefined {
  const state = core.gamebase;
  const now = core.clock.now();
  if (key === 'POST /gamebase/subscriptions') {
    const input = parse(subscriptionSchemas.subscription, body);
    if (!state.apps.has(input.appId)) return problem(404, `no Gamebase app ${input.appId}`);
    if (input.paymentSeq !== undefined && state.payments.has(input.paymentSeq))
      return problem(409, `paymentSeq ${input.paymentSeq} exists`);
    return json(201, subscriptionView(core, addSubscription(state, input, now)));
  }
  const match = SUBSCRIPTION.exec(key);
  if (!match) return undefined;
  const [, method, id = '', action] = match;
  const s = state.subscriptions.get(id);
  if (!s) return problem(404, 'no such subscription');
  if (method === 'GET' && action === undefined) {
    settleSubscription(state, s, now);
    return json(200, subscriptionView(core, s));
  }
  if (method !== 'POST' || !SUBSCRIPTION_ACTIONS.includes(action as SubscriptionAction))
    return problem(404, `no control action ${key}`);
  return actOn(core, s, action as SubscriptionAction, parse(subscriptionSchemas.action, body) ?? {});
}

/** Applies `action`; a refused one is 409 with the reason. */
export function actOn(
  core: SandboxCore,
  s: GamebaseSubscription,
  action: SubscriptionAction,
  input: NonNullable<z.infer<typeof subscriptionSchemas.action>>,
): Reply {
  try {
    applySubscriptionAction(core.gamebase, s, action, input, core.clock.now());
  } catch (error) {
    if (error instanceof SubscriptionActionRefused) return problem(409, error.message);
    throw error;
  }
  return json(200, subscriptionView(core, s));
}
