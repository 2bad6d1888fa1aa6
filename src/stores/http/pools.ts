import { Pool } from 'undici';

export interface PoolOptions {
  /** Most sockets kept per origin; matches the per-app bulkhead's 128 calls in flight. Default `128`. */
  connections?: number;
  /** Time allowed to establish a connection (TCP + TLS), in ms. Default `3_000`. */
  connectTimeoutMs?: number;
  /** Idle time after which a kept-alive socket is closed, in ms. Default `4_000`. */
  keepAliveTimeoutMs?: number;
  /** Upper bound for a server-suggested keep-alive, in ms. Default `60_000`. */
  keepAliveMaxTimeoutMs?: number;
}

/**
 * One keep-alive undici `Pool` per origin, created on first use. Clients of the same process may
 * share a registry so that ONE store and NHN Cloud calls reuse sockets across client instances.
 */
export class PoolRegistry {
  readonly #pools = new Map<string, Pool>();
  readonly #options: Required<PoolOptions>;

  constructor(options: PoolOptions = {}) {
    this.#options = {
      connections: options.connections ?? 128,
      connectTimeoutMs: options.connectTimeoutMs ?? 3_000,
      keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 4_000,
      keepAliveMaxTimeoutMs: options.keepAliveMaxTimeoutMs ?? 60_000,
    };
  }

  get(origin: string): Pool {
    const existing = this.#pools.get(origin);
    if (existing !== undefined) return existing;
    const pool = new Pool(origin, {
      connections: this.#options.connections,
      connect: { timeout: this.#options.connectTimeoutMs },
      keepAliveTimeout: this.#options.keepAliveTimeoutMs,
      keepAliveMaxTimeout: this.#options.keepAliveMaxTimeoutMs,
    });
    this.#pools.set(origin, pool);
    return pool;
  }

  /** Closes every pool gracefully (in-flight requests finish). */
  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}
