import { z } from 'zod';
import type { SandboxCore } from '../core.js';
import type { GamebasePayment } from '../gamebase/state.js';
import { PRODUCT_TYPES, STORE_CODES } from '../gamebase/state.js';
import type { Reply } from '../http-io.js';
import { actOn, routeGamebaseSubscriptionControl } from './gamebase-subscription-control.js';

/** The Gamebase part of the control API: apps with their secret key, payments, refunds. */

const DECIMAL = /^\d{1,12}(\.\d{1,6})?$/;
/** A number is taken in its shortest form, and refused when that is not a plain decimal (`1e-7`). */
const decimal = z.union([
  z.string().regex(DECIMAL),
  z.number().transform(String).pipe(z.string().regex(DECIMAL)),
]);
const time = z.union([z.number().int(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);

export const gamebaseSchemas = {
  app: z.object({
    appId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
    secretKey: z.string().regex(/^[\x21-\x7e]{1,256}$/),
  }),
  payment: z.object({
    appId: z.string().min(1).max(64),
    userId: z.string().regex(/^[\x21-\x7e]{1,128}$/),
    gamebaseProductId: z.string().min(1).max(200),
    marketItemId: z.string().min(1).max(200).optional(),
    productType: z.enum(PRODUCT_TYPES).optional(),
    storeCode: z.enum(STORE_CODES).optional(),
    price: decimal,
    currency: z.string().regex(/^[A-Z]{3}$/),
    paymentSeq: z
      .string()
      .regex(/^\d{1,20}$/)
      .optional(),
    accessToken: z
      .string()
      .regex(/^[A-Za-z0-9+/=_.-]{1,2048}$/)
      .optional(),
    paymentId: z.string().min(1).max(200).optional(),
    paymentToken: z.string().min(1).max(2048).optional(),
    purchaseTime: time.optional(),
    expiryTime: time.nullable().optional(),
    payload: z.string().max(1000).nullable().optional(),
    isTestPurchase: z.boolean().optional(),
    purchaseType: z.enum(['Test', 'Promo']).nullable().optional(),
    consumed: z.boolean().optional(),
  }),
};

/** What the control API shows of a payment: the record, times also in ISO form. */
export function paymentView(p: GamebasePayment) {
  return {
    ...p,
    purchaseTimeIso: new Date(p.purchaseTime).toISOString(),
    expiryTimeIso: p.expiryTime === null ? null : new Date(p.expiryTime).toISOString(),
  };
}

type Parse = <T extends z.ZodType>(schema: T, body: unknown) => z.infer<T>;

const json = (status: number, body: unknown): Reply => ({ status, body });
const problem = (status: number, message: string): Reply => json(status, { error: { message } });

const PAYMENT = /^(GET|POST) \/gamebase\/payments\/(\d{1,20})(?:\/([a-z]+))?$/;

/** Answers `key` ("METHOD /path") when it is a Gamebase control call, else `undefined`. */
export function routeGamebaseControl(
  key: string,
  body: unknown,
  core: SandboxCore,
  parse: Parse,
): Reply | undefined {
  const state = core.gamebase;
  const subscriptionReply = routeGamebaseSubscriptionControl(key, body, core, parse);
  if (subscriptionReply) return subscriptionReply;
  if (key === 'POST /gamebase/apps') {
    const input = parse(gamebaseSchemas.app, body);
    return json(201, state.addApp(input.appId, input.secretKey));
  }
  if (key === 'POST /gamebase/payments') {
    const { consumed, ...input } = parse(gamebaseSchemas.payment, body);
    if (!state.apps.has(input.appId)) return problem(404, `no Gamebase app ${input.appId}`);
    const p = state.addPayment(
      { ...input, ...(consumed && { status: 'consumed' as const }) },
      core.clock.now(),
    );
    return json(201, paymentView(p));
  }
  const match = PAYMENT.exec(key);
  if (!match) return undefined;
  const [, method, paymentSeq = '', action] = match;
  const p = state.payments.get(paymentSeq);
  if (!p) return problem(404, 'no such payment');
  if (method === 'GET' && action === undefined) return json(200, paymentView(p));
  // A refund (void) by the store: the payment is no longer valid, consumed or not.
  if (method === 'POST' && (action === 'refund' || action === 'void')) {
    // A subscription period's refund is the subscription's `void` (the current one revokes it).
    const s = p.subscriptionId === null ? undefined : state.subscriptions.get(p.subscriptionId);
    if (s) return actOn(core, s, 'void', { paymentSeq });
    p.status = 'refunded';
    return json(200, paymentView(p));
  }
  return problem(404, `no control action ${key}`);
}
