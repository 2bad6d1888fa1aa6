import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { SandboxCore } from '../core.js';
import { demoInfo, loadDemo } from '../demo.js';
import { isRecord, parseJson, type Reply, readBody } from '../http-io.js';
import { routeGamebaseControl } from './gamebase-control.js';
import { ACTIONS, ActionRefused, applyAction, type PurchaseAction } from './onestore-actions.js';

const json = (status: number, body: unknown): Reply => ({ status, body });
const problem = (status: number, message: string): Reply => json(status, { error: { message } });

const digits = z.union([z.string().regex(/^\d{1,19}$/), z.number().int().nonnegative().transform(String)]);
const decimal = z.union([
  z.string().regex(/^\d{1,12}(\.\d{1,6})?$/),
  z.number().nonnegative().transform(String),
]);

const schemas = {
  clock: z.object({
    advanceMs: z.number().int().optional(),
    set: z.union([z.number().int(), z.iso.datetime()]).optional(),
    frozen: z.boolean().optional(),
  }),
  reset: z.object({ demo: z.boolean().optional() }),
  app: z.object({
    clientId: z.string().min(1).max(128),
    clientSecret: z.string().min(1).max(256),
    notificationUrl: z.url({ protocol: /^https?$/ }).optional(),
  }),
  notifications: z.object({ url: z.url({ protocol: /^https?$/ }).nullable() }),
  block: z.object({ blocked: z.boolean() }),
  tokens: z.object({ reissue: z.enum(['same', 'new']) }),
  purchase: z.object({
    clientId: z.string().min(1).max(128),
    productId: z.string().min(1).max(150),
    type: z.enum(['inapp', 'auto', 'subscription']),
    market: z.enum(['MKT_ONE', 'MKT_GLB']).optional(),
    developerPayload: z.string().max(200).optional(),
    quantity: z.number().int().min(1).max(99).optional(),
    acknowledged: z.boolean().optional(),
    consumed: z.boolean().optional(),
    purchaseTime: z.number().int().optional(),
    periodMs: z.number().int().min(60_000).optional(),
    price: decimal.optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    linkedPurchaseToken: z.string().max(20).nullable().optional(),
    trialDays: z.number().int().min(1).max(365).optional(),
    promotion: z.object({ price: decimal, periods: z.number().int().min(1).max(120) }).optional(),
  }),
  action: z.object({
    days: z.number().int().min(1).max(365).optional(),
    purchaseId: z
      .string()
      .regex(/^\d{1,20}$/)
      .optional(),
    price: decimal.optional(),
    productId: z.string().min(1).max(150).optional(),
    mode: z.enum(['IMMEDIATE', 'DEFERRED']).optional(),
  }),
  nhnApp: z.object({
    appSeq: digits.optional(),
    appName: z.string().max(200).optional(),
    marketAppId: z.string().max(200).optional(),
  }),
  nhnItem: z.object({
    appSeq: digits,
    itemName: z.string().min(1).max(200),
    marketItemId: z.string().min(1).max(200),
    marketId: z.string().max(8).optional(),
  }),
  nhnPayment: z.object({
    appSeq: digits,
    itemSeq: z.number().int().positive(),
    userKey: z.string().min(1).max(200),
    userChannel: z.string().min(1).max(50).optional(),
    price: decimal,
    currency: z.string().regex(/^[A-Z]{3}$/),
  }),
  fault: z.object({
    endpoint: z.string().min(1).optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    code: z.string().optional(),
    status: z.number().int().min(100).max(599).optional(),
    resultCode: z.number().int().optional(),
    drop: z.boolean().optional(),
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
    cut: z.boolean().optional(),
    rate: z.number().min(0).max(1).optional(),
    count: z.number().int().min(1).optional(),
    phase: z.enum(['before', 'after']).optional(),
  }),
  maintenance: z.object({
    on: z.boolean(),
    store: z.enum(['onestore', 'nhncloud', 'gamebase', 'all']).optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
  }),
};

class BadInput extends Error {}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw new BadInput(
      result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  }
  return result.data;
}

function clockReply(core: SandboxCore): Reply {
  const now = core.clock.now();
  return json(200, { now, iso: new Date(now).toISOString(), frozen: core.clock.frozen });
}

/** The /sandbox/v1 control API (docs/sandbox-contract.md). Never counted in the store stats. */
export async function handleControl(
  req: IncomingMessage,
  path: string,
  core: SandboxCore,
  baseUrl: string,
): Promise<Reply> {
  let body: unknown = {};
  if (req.method === 'POST') {
    const raw = await readBody(req, core.maxBodyBytes);
    if (!raw.ok) return problem(413, `body over ${core.maxBodyBytes} bytes`);
    if (raw.raw.length > 0) {
      const parsed = parseJson(raw.raw);
      if (!parsed.ok || !isRecord(parsed.value)) return problem(400, 'body must be a JSON object');
      body = parsed.value;
    }
  }
  try {
    return route(`${req.method} ${path.slice('/sandbox/v1'.length)}`, body, core, baseUrl);
  } catch (error) {
    if (error instanceof BadInput || error instanceof ActionRefused) return problem(400, error.message);
    throw error;
  }
}

function route(key: string, body: unknown, core: SandboxCore, baseUrl: string): Reply {
  const now = core.clock.now();
  const os = core.onestore;
  switch (key) {
    case 'GET /stats':
      return json(200, core.statsSnapshot());
    case 'DELETE /stats':
      core.resetStats();
      return json(200, core.statsSnapshot());
    case 'POST /reset':
      core.reset();
      if (parse(schemas.reset, body).demo) loadDemo(core);
      return json(200, { reset: true });
    case 'GET /clock':
      return clockReply(core);
    case 'POST /clock': {
      const input = parse(schemas.clock, body);
      // Stopped first, so that `set` lands exactly (no millisecond passes between the two).
      if (input.frozen !== undefined) core.clock.freeze(input.frozen);
      if (input.set !== undefined)
        core.clock.set(typeof input.set === 'number' ? input.set : Date.parse(input.set));
      if (input.advanceMs !== undefined) core.clock.advance(input.advanceMs);
      return clockReply(core);
    }
    case 'GET /demo':
      return json(200, demoInfo(core, baseUrl));
    case 'POST /onestore/apps': {
      const input = parse(schemas.app, body);
      const app = os.addApp(input.clientId, input.clientSecret);
      if (input.notificationUrl !== undefined) core.pns.setUrl(app.clientId, input.notificationUrl);
      const notificationUrl = core.pns.url(app.clientId);
      return json(201, {
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        ...(notificationUrl !== null && { notificationUrl }),
      });
    }
    case 'GET /onestore/tokens':
      return json(200, { reissue: os.tokens.reissue, issued: os.tokens.issuedCount });
    case 'POST /onestore/tokens':
      os.tokens.reissue = parse(schemas.tokens, body).reissue;
      return json(200, { reissue: os.tokens.reissue, issued: os.tokens.issuedCount });
    case 'POST /onestore/purchases': {
      const input = parse(schemas.purchase, body);
      if (!os.apps.has(input.clientId)) return problem(404, `no ONE store app ${input.clientId}`);
      const created = os.create(input, now);
      if (created.type === 'inapp' && created.purchaseState === 0) core.pns.notify(created, 'COMPLETED');
      return json(201, created);
    }
    case 'POST /nhncloud/apps':
      return json(201, core.nhn.addApp(parse(schemas.nhnApp, body)));
    case 'POST /nhncloud/items': {
      const input = parse(schemas.nhnItem, body);
      if (!core.nhn.apps.has(input.appSeq)) return problem(404, `no NHN app ${input.appSeq}`);
      return json(201, core.nhn.addItem(input, now));
    }
    case 'POST /nhncloud/payments': {
      const input = parse(schemas.nhnPayment, body);
      const item = core.nhn.items.get(input.itemSeq);
      if (!item || item.appSeq !== input.appSeq)
        return problem(404, `no item ${input.itemSeq} in app ${input.appSeq}`);
      return json(201, core.nhn.addPayment(input, now));
    }
    case 'GET /faults':
      return json(200, core.faults.list());
    case 'POST /faults':
      return json(201, core.faults.add(parse(schemas.fault, body)));
    case 'DELETE /faults':
      core.faults.clear();
      return json(200, []);
    case 'POST /maintenance': {
      const input = parse(schemas.maintenance, body);
      core.maintenance.set(input.store ?? 'all', input.on, input.retryAfterSeconds);
      return json(200, input);
    }
  }
  return routeGamebaseControl(key, body, core, parse) ?? routeWithParams(key, body, core);
}

const PURCHASE = /^(GET|POST) \/onestore\/purchases\/([A-Za-z0-9]{1,20})(?:\/([A-Za-z]+))?$/;
const BLOCK = /^POST \/onestore\/apps\/([^/]{1,128})\/block$/;
const NOTIFICATIONS = /^POST \/onestore\/apps\/([^/]{1,128})\/notifications$/;
const FAULT = /^DELETE \/faults\/(\d+)$/;

function routeWithParams(key: string, body: unknown, core: SandboxCore): Reply {
  const now = core.clock.now();
  const purchase = PURCHASE.exec(key);
  if (purchase) {
    const [, method, token = '', action] = purchase;
    const p = core.onestore.find(token, now);
    if (!p) return problem(404, 'no such purchase');
    if (method === 'GET' && action === undefined) return json(200, p);
    if (method !== 'POST' || !ACTIONS.includes(action as PurchaseAction))
      return problem(404, `no control action ${key}`);
    const input = parse(schemas.action, body);
    const wasVoided = p.voidedTime !== undefined;
    const created = applyAction(p, action as PurchaseAction, {
      now,
      ids: core.onestore.ids,
      voided: core.onestore.voided,
      input,
      create: (next) => {
        const made = core.onestore.create(next, now);
        if (made.type !== 'subscription') throw new Error('changePlan made a purchase of another type');
        return made;
      },
    });
    if (p.type === 'inapp' && !wasVoided && p.voidedTime !== undefined) core.pns.notify(p, 'CANCELED');
    // changePlan answers the new subscription (its purchaseToken is the new token).
    return json(200, created ?? core.onestore.find(token, now));
  }
  const block = BLOCK.exec(key);
  if (block) {
    const app = core.onestore.apps.get(decodeURIComponent(block[1] ?? ''));
    if (!app) return problem(404, 'no such app');
    app.blocked = parse(schemas.block, body).blocked;
    return json(200, { clientId: app.clientId, blocked: app.blocked });
  }
  const notifications = NOTIFICATIONS.exec(key);
  if (notifications) {
    const app = core.onestore.apps.get(decodeURIComponent(notifications[1] ?? ''));
    if (!app) return problem(404, 'no such app');
    core.pns.setUrl(app.clientId, parse(schemas.notifications, body).url);
    return json(200, { clientId: app.clientId, notificationUrl: core.pns.url(app.clientId) });
  }
  const fault = FAULT.exec(key);
  if (fault)
    return core.faults.remove(Number(fault[1]))
      ? json(200, { removed: true })
      : problem(404, 'no such fault');
  return problem(404, `no control endpoint ${key}`);
}
