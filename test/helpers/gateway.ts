import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type GatewayConfig, resolveConfig } from '../../src/config/load.js';
import type { PurchaseAction } from '../../src/sandbox/control/onestore-actions.js';
import type { SandboxOptions } from '../../src/sandbox/index.js';
import { sha256Hex } from '../../src/server/api-keys.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/server/create-gateway.js';
import { createGatewayServer } from '../../src/server/node-listener.js';
import { type SandboxHarness, startHarness } from './sandbox.js';
import { type GamebaseApp, newGamebaseApp } from './stores.js';

/**
 * A sandbox on port 0 and a gateway configured against it, served over real HTTP on port 0.
 *
 * Apps of the gateway config:
 * - `game` (app A): ONE store app A (market as `market`, default MKT_ONE), NHN app A and Gamebase app A.
 * - `other` (app B): ONE store app B and NHN app B.
 * - `badsecret`: ONE store app C with a client secret the sandbox does not know.
 *
 * API keys: `keys.rw` (game: read+write), `keys.ro` (game: read), `keys.other` (other: read+write),
 * `keys.support` (the apps of `keys.rw`: support).
 */

export const APP = 'game';
export const OTHER_APP = 'other';
export const BAD_SECRET_APP = 'badsecret';

export interface GatewayHarnessOptions {
  sandbox?: SandboxOptions;
  /** Market of app A's ONE store config. Default MKT_ONE. */
  market?: 'MKT_ONE' | 'MKT_GLB';
  /** Markets of app A's ONE store config (wins over `market`). Default: none, i.e. `[market]`. */
  markets?: ('MKT_ONE' | 'MKT_GLB')[];
  catalogTtlSeconds?: number;
  /** App A's ONE store licence key (base64 SPKI), which turns its payment notification endpoint on. Default: unset. */
  licensePublicKey?: string;
  /**
   * More top-level config keys (`requestDeadlineMs`, `breaker`, `bulkhead`, ...). The circuit
   * breaker is off unless `breaker` is given: most tests inject faults one after another against
   * one gateway and must not see a circuit opened by the test before. Rate limits are off unless
   * `rateLimits` is given, so long suites never spend a budget; the subscription scheduler has no timer
   * unless `subscriptionTracking` is given. Default: none.
   */
  config?: Record<string, unknown>;
  /** More app names configured exactly as app A (its stores and webhooks), open to `keys.rw`. Default: none. */
  appAliases?: string[];
  /** App A's `webhooks` endpoints; their secrets come from `env`. Default: none. */
  appWebhooks?: Record<string, unknown>[];
  /** App A's entitlement catalogue (config `entitlements`). Default: none. */
  appEntitlements?: Record<string, unknown>;
  /** More environment variables for the config's secrets. Default: none. */
  env?: Record<string, string>;
  /** Options for `createGateway` (the clock is always the sandbox's). Default: none. */
  gatewayOptions?: GatewayOptions;
}

export interface GqlAnswer {
  status: number;
  /** The parsed JSON body: `{ data, errors }`. */
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: unknown }[] };
  /** `body.data`, or a failed test when there is none or there are top-level errors. */
  data: Record<string, unknown>;
}

export interface GatewayHarness {
  h: SandboxHarness;
  gateway: Gateway;
  config: GatewayConfig;
  /** Base URL of the gateway (`/graphql` lives under it). */
  url: string;
  keys: { rw: string; ro: string; other: string; support: string };
  /** ONE store clientIds and NHN appSeqs of apps A and B. */
  onestore: { a: string; b: string; c: string };
  nhn: { a: string; b: string };
  /** Gamebase app of app A. */
  gamebase: GamebaseApp;
  /** POST /graphql over real HTTP; `key: null` sends no key. Default key: `keys.rw`; no `operationName`. */
  gql(
    query: string,
    variables?: object,
    options?: { key?: string | null; operationName?: string },
  ): Promise<GqlAnswer>;
  control: SandboxHarness['control'];
  count: SandboxHarness['count'];
  /** Clears the sandbox request counters. */
  resetStats(): Promise<void>;
  /** Sandbox time, ms. */
  now(): number;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayHarnessOptions = {}): Promise<GatewayHarness> {
  const h = await startHarness(options.sandbox ?? {});
  const suffix = randomUUID().slice(0, 8);
  const apps = {
    a: { clientId: `com.example.gamea${suffix}`, clientSecret: `secret-a-${suffix}` },
    b: { clientId: `com.example.gameb${suffix}`, clientSecret: `secret-b-${suffix}` },
    c: { clientId: `com.example.gamec${suffix}`, clientSecret: `secret-c-${suffix}` },
  };
  for (const app of Object.values(apps)) await h.control('POST', '/onestore/apps', app);
  const nhnA = String((await h.control<{ appSeq: string | number }>('POST', '/nhncloud/apps', {})).appSeq);
  const nhnB = String((await h.control<{ appSeq: string | number }>('POST', '/nhncloud/apps', {})).appSeq);
  const gamebase = await newGamebaseApp(h);
  const keys = {
    rw: `rw-${randomUUID()}`,
    ro: `ro-${randomUUID()}`,
    other: `other-${randomUUID()}`,
    support: `support-${randomUUID()}`,
  };
  const appA = {
    onestore: {
      clientId: apps.a.clientId,
      clientSecret: { env: 'SECRET_A' },
      baseUrl: h.url,
      market: options.market ?? 'MKT_ONE',
      ...(options.markets && { markets: options.markets }),
      ...(options.licensePublicKey && { licensePublicKey: options.licensePublicKey }),
    },
    nhncloud: { appSeq: nhnA, baseUrl: h.url },
    gamebase: { appId: gamebase.appId, secretKey: { env: 'GAMEBASE_A' }, baseUrl: h.url },
    ...(options.appWebhooks && { webhooks: options.appWebhooks }),
    ...(options.appEntitlements && { entitlements: options.appEntitlements }),
  };
  const aliases = options.appAliases ?? [];
  const config = resolveConfig(
    {
      apps: {
        [APP]: appA,
        ...Object.fromEntries(aliases.map((name) => [name, appA])),
        [OTHER_APP]: {
          onestore: { clientId: apps.b.clientId, clientSecret: { env: 'SECRET_B' }, baseUrl: h.url },
          nhncloud: { appSeq: nhnB, baseUrl: h.url },
        },
        [BAD_SECRET_APP]: {
          onestore: { clientId: apps.c.clientId, clientSecret: { env: 'SECRET_C' }, baseUrl: h.url },
        },
      },
      apiKeys: [
        {
          name: 'rw',
          sha256: sha256Hex(keys.rw),
          apps: [APP, BAD_SECRET_APP, ...aliases],
          scopes: ['read', 'write'],
        },
        { name: 'ro', sha256: sha256Hex(keys.ro), apps: [APP], scopes: ['read'] },
        { name: 'other', sha256: sha256Hex(keys.other), apps: [OTHER_APP], scopes: ['read', 'write'] },
        {
          name: 'support',
          sha256: sha256Hex(keys.support),
          apps: [APP, BAD_SECRET_APP, ...aliases],
          scopes: ['support'],
        },
      ],
      ...(options.catalogTtlSeconds !== undefined && { catalogTtlSeconds: options.catalogTtlSeconds }),
      breaker: { enabled: false },
      rateLimits: { enabled: false },
      // No scheduler timer: its reads would spend injected faults and count in the sandbox's stats;
      // the tracking tests tick it themselves (test/subscriptions/).
      subscriptionTracking: { tickSeconds: 0 },
      ...options.config,
    },
    {
      SECRET_A: apps.a.clientSecret,
      SECRET_B: apps.b.clientSecret,
      SECRET_C: 'not-the-secret',
      GAMEBASE_A: gamebase.secretKey,
      ...options.env,
    },
  );
  const gateway = createGateway(config, { ...options.gatewayOptions, now: () => h.sandbox.clock.now() });
  const server: Server = createGatewayServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const gql: GatewayHarness['gql'] = async (query, variables = {}, opts = {}) => {
    const key = opts.key === undefined ? keys.rw : opts.key;
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(key !== null && { authorization: `Bearer ${key}` }),
      },
      body: JSON.stringify({ query, variables, operationName: opts.operationName }),
    });
    const body = (await response.json()) as GqlAnswer['body'];
    return {
      status: response.status,
      body,
      get data(): Record<string, unknown> {
        if (body.errors?.length || !body.data)
          throw new Error(`GraphQL errors: ${JSON.stringify(body.errors ?? body)}`);
        return body.data;
      },
    };
  };

  return {
    h,
    gateway,
    config,
    url,
    keys,
    onestore: { a: apps.a.clientId, b: apps.b.clientId, c: apps.c.clientId },
    nhn: { a: nhnA, b: nhnB },
    gamebase,
    gql,
    control: h.control,
    count: h.count,
    resetStats: async () => {
      await h.control('DELETE', '/stats');
    },
    now: () => h.sandbox.clock.now(),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await gateway.dispose();
      await h.close();
    },
  };
}

/** Requests the sandbox counted per endpoint (only the non-zero ones). */
export async function upstreamCounts(g: GatewayHarness): Promise<Record<string, number>> {
  const stats = await g.h.stats();
  const out: Record<string, number> = {};
  for (const [name, entry] of Object.entries(stats.endpoints)) if (entry.total > 0) out[name] = entry.total;
  return out;
}

/** Total store requests the sandbox counted (control calls are never counted). */
export async function upstreamTotal(g: GatewayHarness): Promise<number> {
  return Object.values(await upstreamCounts(g)).reduce((a, b) => a + b, 0);
}

export interface Purchase {
  purchaseToken: string;
  purchaseId: string;
  productId: string;
  purchaseTime: number;
}

type PurchaseInput = {
  productId?: string;
  type?: 'inapp' | 'auto' | 'subscription';
  app?: 'a' | 'b';
} & Record<string, unknown>;

/** A ONE store purchase of app A (or B) through the control API. */
export async function purchase(g: GatewayHarness, input: PurchaseInput = {}): Promise<Purchase> {
  const { app = 'a', ...rest } = input;
  const productId = input.productId ?? 'gem_100';
  const created = await g.control<{ purchaseToken: string; purchaseId: string; purchaseTime: number }>(
    'POST',
    '/onestore/purchases',
    { type: 'inapp', ...rest, productId, clientId: g.onestore[app] },
  );
  return {
    purchaseToken: created.purchaseToken,
    purchaseId: created.purchaseId,
    productId,
    purchaseTime: created.purchaseTime,
  };
}

/** A control action on a ONE store purchase (src/sandbox/README.md: void, cancel, renew, grace, changePlan…). */
export async function act(
  g: GatewayHarness,
  token: string,
  action: PurchaseAction,
  body: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  return g.control('POST', `/onestore/purchases/${token}/${action}`, body);
}

/** The sandbox's stored record of a ONE store purchase. */
export function record(g: GatewayHarness, token: string): Promise<Record<string, unknown>> {
  return g.control('GET', `/onestore/purchases/${token}`);
}

/** An NHN item of app A (or B); answers its itemSeq as a string. */
export async function nhnItem(
  g: GatewayHarness,
  input: { itemName?: string; marketItemId: string; marketId?: string; app?: 'a' | 'b' },
): Promise<string> {
  const item = await g.control<{ itemSeq: number }>('POST', '/nhncloud/items', {
    appSeq: g.nhn[input.app ?? 'a'],
    itemName: input.itemName ?? input.marketItemId,
    marketItemId: input.marketItemId,
    ...(input.marketId !== undefined && { marketId: input.marketId }),
  });
  return String(item.itemSeq);
}

export interface Payment {
  paymentSeq: string;
  purchaseToken: string;
  itemSeq: string;
  userKey: string;
}

/** An unconsumed NHN payment of app A for `itemSeq`. */
export async function nhnPayment(
  g: GatewayHarness,
  input: { itemSeq: string; userKey?: string; price?: string; currency?: string; app?: 'a' | 'b' },
): Promise<Payment> {
  const userKey = input.userKey ?? `user-${randomUUID().slice(0, 8)}`;
  const payment = await g.control<{ paymentSeq: string | number; purchaseToken: string }>(
    'POST',
    '/nhncloud/payments',
    {
      appSeq: g.nhn[input.app ?? 'a'],
      itemSeq: Number(input.itemSeq),
      userKey,
      price: input.price ?? '1000',
      currency: input.currency ?? 'KRW',
    },
  );
  return {
    paymentSeq: String(payment.paymentSeq),
    purchaseToken: payment.purchaseToken,
    itemSeq: input.itemSeq,
    userKey,
  };
}

/** Reads a nested value: `at(data, 'purchase', 'item', 'name')`. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null)
      throw new Error(`no ${String(key)} in ${JSON.stringify(current)}`);
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** `at` for a string value. */
export function str(value: unknown, ...path: (string | number)[]): string {
  const found = at(value, ...path);
  if (typeof found !== 'string') throw new Error(`expected a string at ${path.join('.')}, got ${found}`);
  return found;
}

/** `at` for an array value. */
export function list(value: unknown, ...path: (string | number)[]): unknown[] {
  const found = at(value, ...path);
  if (!Array.isArray(found)) throw new Error(`expected an array at ${path.join('.')}`);
  return found;
}

/** GraphQL selection for any union result's error members. */
export const ERROR_FIELDS =
  '... on Error { code message errorStore: store storeCode } ... on InvalidInputError { field } ... on StoreUnavailableError { retryAfterSeconds }';
