import { createRequire } from 'node:module';
import type * as Flexible from 'rate-limiter-flexible';

/**
 * The three classes of rate-limiter-flexible the rate limits use, loaded without its entry point:
 * that one also loads its Mongo, MySQL, PostgreSQL, DynamoDB, Prisma, Drizzle, etcd, Memcache,
 * Valkey, SQLite and cluster limiters, ~0.6 MB of live heap (code V8 keeps for the process's
 * lifetime) the gateway never runs. Same files as the entry point loads, so the same classes
 * (`instanceof RateLimiterRes` holds for what either gives). The package declares no `exports` map,
 * so its `lib/` files resolve; the version is pinned, and an upgrade that moves them fails the rate
 * limit tests (as `stores/http/undici.ts` does for undici).
 */
const require = createRequire(import.meta.url);

export const RateLimiterMemory =
  require('rate-limiter-flexible/lib/RateLimiterMemory.js') as typeof Flexible.RateLimiterMemory;
export const RateLimiterRedis =
  require('rate-limiter-flexible/lib/RateLimiterRedis.js') as typeof Flexible.RateLimiterRedis;
export const RateLimiterRes =
  require('rate-limiter-flexible/lib/RateLimiterRes.js') as typeof Flexible.RateLimiterRes;
export type RateLimiterRes = Flexible.RateLimiterRes;
export type RateLimiterAbstract = Flexible.RateLimiterAbstract;
