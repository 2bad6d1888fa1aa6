import { type DocumentNode, getOperationAST, valueFromASTUntyped } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { GatewayConfig } from '../config/load.js';
import type { GatewayContext, RateLimitDecision } from '../graphql/context.js';
import { RateLimitedError } from '../graphql/errors/error-classes.js';
import type { GatewayMetrics } from './metrics.js';
import { selectedFields } from './selected-fields.js';

export interface RateLimitStoreOptions {
  /**
   * Redis holding the budgets, so every replica using it shares one budget per key and per app.
   * Create it with `enableOfflineQueue: false`; while it is not ready each process falls back to
   * an in-memory budget of its own. Default: none (in memory, per process).
   */
  redis?: Redis;
  /** Prefix of the Redis keys. Default `gateway:rl`. */
  keyPrefix?: string;
}

type Budget = GatewayConfig['rateLimits']['perKey'];

function limiter(budget: Budget, name: string, store: RateLimitStoreOptions): RateLimiterAbstract {
  const opts = { points: budget.points, duration: budget.durationSeconds };
  if (!store.redis) return new RateLimiterMemory(opts);
  return new RateLimiterRedis({
    ...opts,
    storeClient: store.redis,
    keyPrefix: `${store.keyPrefix ?? 'gateway:rl'}:${name}`,
    // A Redis outage must not take the gateway down: each process keeps counting on its own.
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(opts),
  });
}

/** The root fields of the operation (through fragments), without `__typename`. */
function rootFields(document: DocumentNode, operationName: string | null | undefined) {
  const op = getOperationAST(document, operationName);
  if (!op) return [];
  return selectedFields(document, op.selectionSet).filter((field) => !field.name.value.startsWith('__'));
}

/** The `app` a root field names: its `app` argument, or the `app` of an input object argument. */
function appOf(
  field: ReturnType<typeof rootFields>[number],
  variables: Record<string, unknown>,
): string | undefined {
  for (const arg of field.arguments ?? []) {
    const value: unknown = valueFromASTUntyped(arg.value, variables);
    if (arg.name.value === 'app' && typeof value === 'string') return value;
    if (typeof value === 'object' && value !== null && 'app' in value && typeof value.app === 'string')
      return value.app;
  }
  return undefined;
}

/** The distinct apps the root fields of an operation name, in order (the access log lists them). */
export function appsOf(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): string[] {
  const apps = new Set<string>();
  for (const field of rootFields(document, operationName)) {
    const app = appOf(field, variables);
    if (app !== undefined) apps.add(app);
  }
  return [...apps];
}

/** What the decision reads of an execution's or a subscription's hook payload. */
interface DecideArgs {
  args: {
    contextValue: GatewayContext;
    document: DocumentNode;
    operationName?: string | null | undefined;
    variableValues?: { readonly [name: string]: unknown } | null | undefined;
  };
  extendContext(extension: Partial<GatewayContext>): void;
}

const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/**
 * Consumes `points`; answers the error to give when the budget is spent. Store failures without
 * an insurance answer propagate (the request fails) rather than silently lifting the limit.
 */
async function spend(limiter: RateLimiterAbstract, key: string, points: number) {
  try {
    await limiter.consume(key, points);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return retryAfter(rejection);
    throw rejection;
  }
}

/**
 * Rate limits per API key and per app (`config.rateLimits`). Every root field costs one point of
 * its key's budget and one of its app's. The budgets are spent before execution, because the
 * limiter stores are asynchronous and `authorize` is not; `authorize` then answers the decision as
 * `RateLimitedError`, so a limited field never reaches a store. Only apps the key may use are
 * counted, so a key cannot create budgets (Redis keys) for arbitrary names.
 */
export function rateLimitPlugin(
  config: GatewayConfig['rateLimits'],
  metrics: GatewayMetrics,
  store: RateLimitStoreOptions = {},
): Plugin<GatewayContext> | undefined {
  if (!config.enabled) return undefined;
  const perKey = limiter(config.perKey, 'key', store);
  const perApp = limiter(config.perApp, 'app', store);
  // A subscription spends its points once, when it is subscribed (not per event).
  const decide = async ({ args, extendContext }: DecideArgs) => {
    const ctx = args.contextValue;
    const fields = rootFields(args.document, args.operationName);
    if (fields.length === 0) return;
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const decision: { key: RateLimitedError | null; apps: Map<string, RateLimitedError> } = {
      key: null,
      apps: new Map(),
    };
    const keyWait = await spend(perKey, ctx.caller.keyName, fields.length);
    if (keyWait !== null) {
      metrics.rateLimitRejections.inc({ limit: 'key' });
      decision.key = new RateLimitedError(
        keyWait,
        `This API key's request budget is spent; retry in ${keyWait} s.`,
      );
    } else {
      const perAppPoints = new Map<string, number>();
      for (const field of fields) {
        const app = appOf(field, variables);
        if (app !== undefined && ctx.caller.apps.has(app))
          perAppPoints.set(app, (perAppPoints.get(app) ?? 0) + 1);
      }
      for (const [app, points] of perAppPoints) {
        const appWait = await spend(perApp, app, points);
        if (appWait === null) continue;
        metrics.rateLimitRejections.inc({ limit: 'app' });
        decision.apps.set(
          app,
          new RateLimitedError(appWait, `App "${app}" has spent its request budget; retry in ${appWait} s.`),
        );
      }
    }
    if (decision.key || decision.apps.size > 0)
      extendContext({ rateLimit: decision satisfies RateLimitDecision });
  };
  return { onExecute: decide, onSubscribe: decide };
}
