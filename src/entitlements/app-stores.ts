import { LRUCache } from 'lru-cache';
import type { EntitlementCatalogue } from '../config/entitlements.js';
import type { AppSettings, GatewayConfig } from '../config/load.js';
import {
  BreakerRegistry,
  Bulkhead,
  gamebase,
  nhncloud,
  onestore,
  PoolRegistry,
  type RequestScope,
  type StoreLogger,
  type StoreObserver,
  silentObserver,
} from '../stores/index.js';
import { type Environment, environmentOf } from '../vocabulary/environments.js';
import { STORE_NAMES, type StoreId, type StoreName } from '../vocabulary/stores.js';
import type { ItemRecord, Market } from './records.js';
import { TimeBasis } from './time-basis.js';

export interface StoreRegistryOptions {
  /** Clock for entitlement rules and token renewal, ms since epoch. Default `Date.now`. */
  now?: () => number;
  /** pino-compatible logger for the store clients. Default: silent. */
  logger?: StoreLogger;
  /** Receives upstream, cache and breaker events (metrics). Default: silent. */
  observer?: StoreObserver;
}

/** What every client's HttpClient gets: deadline, shared breakers, the app's and the store's bulkheads. */
type HttpSettings = NonNullable<onestore.OneStoreClientOptions['http']>;

/** The app's ONE store in one market: its client sends that `x-market-code`, tokens included. */
export interface OneStoreApp {
  client: onestore.OneStoreClient;
  /** The app's ONE store clientId: its identity in the store, the same in every market. */
  clientId: string;
  market: Market;
  time: TimeBasis;
  /** The config's `environment`: which ONE store host the app's purchases are on. */
  environment: Environment;
}

/** The app's ONE store in each configured market; `first` answers a call that names none. */
export interface OneStoreMarkets {
  first: OneStoreApp;
  byMarket: ReadonlyMap<Market, OneStoreApp>;
}

export interface NhnCloudApp {
  client: nhncloud.NhnCloudClient;
  appSeq: string;
  /** The config's `environment` (its payments carry no test flag). */
  environment: Environment;
}

export interface GamebaseApp {
  client: gamebase.GamebaseClient;
  appId: string;
  /** The config's `environment`: that of a payment the store does not mark as a test. */
  environment: Environment;
}

/** One configured app: its store clients and its item catalogue cache. */
export class AppStores {
  readonly #catalog: LRUCache<'catalog', ItemRecord[]> | undefined;

  constructor(
    readonly name: string,
    readonly onestoreMarkets: OneStoreMarkets | undefined,
    readonly nhncloud: NhnCloudApp | undefined,
    readonly gamebase: GamebaseApp | undefined,
    catalogTtlMs: number,
    readonly observer: StoreObserver = silentObserver,
    /** The app's entitlement catalogue (config `entitlements`), which `player` computes from. Default `{}`. */
    readonly entitlements: EntitlementCatalogue = {},
  ) {
    // A TTL of 0 means "always ask": lru-cache would read 0 as "never expires".
    this.#catalog =
      catalogTtlMs > 0
        ? new LRUCache<'catalog', ItemRecord[]>({
            max: 1,
            ttl: catalogTtlMs,
            // Shared by concurrent requests, so given no request's scope: not bound to the deadline
            // of the one that started it.
            fetchMethod: () => this.#loadCatalog(undefined),
          })
        : undefined;
  }

  /** The app's ONE store in its first (default) market. */
  get onestore(): OneStoreApp | undefined {
    return this.onestoreMarkets?.first;
  }

  /**
   * The app's own id in `store` (ONE store clientId, NHN appSeq, Gamebase appId: the ledger's
   * `storeApp`); undefined when the app is not configured for that store.
   */
  storeApp(store: StoreId): string | undefined {
    const ids: Record<StoreId, string | undefined> = {
      ONESTORE: this.onestore?.clientId,
      NHN_CLOUD: this.nhncloud?.appSeq,
      GAMEBASE: this.gamebase?.appId,
    };
    return ids[store];
  }

  /**
   * The environment the config gives the app's purchases in `store` (a Gamebase payment marked as a
   * test is SANDBOX whatever it says); undefined when the app is not configured for that store.
   */
  environment(store: StoreId): Environment | undefined {
    const configured: Record<StoreId, Environment | undefined> = {
      ONESTORE: this.onestore?.environment,
      NHN_CLOUD: this.nhncloud?.environment,
      GAMEBASE: this.gamebase?.environment,
    };
    return configured[store];
  }

  /**
   * The app's NHN item catalogue, one upstream call per TTL; concurrent callers share it. `scope`
   * (the asking request's) bounds only an uncached load (TTL 0). Default: none.
   */
  async catalog(scope?: RequestScope): Promise<ItemRecord[]> {
    if (!this.#catalog) return this.#loadCatalog(scope);
    const status: LRUCache.Status<'catalog', ItemRecord[], unknown> = {};
    const pending = this.#catalog.fetch('catalog', { status });
    this.observer.cacheLookup('catalog', status.fetch === 'hit' || status.fetch === 'inflight');
    return (await pending) ?? [];
  }

  /** Drops the cached catalogue, e.g. after an operator changed items. */
  forgetCatalog(): void {
    this.#catalog?.clear();
  }

  async #loadCatalog(scope: RequestScope | undefined): Promise<ItemRecord[]> {
    if (!this.nhncloud) return [];
    const list = await this.nhncloud.client.getItemList({ appSeq: this.nhncloud.appSeq }, { scope });
    return list.itemList.map((item) => ({
      store: 'NHN_CLOUD',
      app: this.name,
      itemSeq: item.itemSeq,
      name: item.itemName,
      marketItemId: item.marketItemId,
      marketId: item.marketId,
      inUse: item.usingStatus === 'USE',
      registeredAt: item.regYmdt ?? null,
    }));
  }
}

/** Every configured app's clients, sharing one token cache and one set of keep-alive pools. */
export class StoreRegistry {
  readonly #apps = new Map<string, AppStores>();
  readonly #pools = new PoolRegistry();
  readonly #clients: { close(): Promise<void> }[] = [];
  readonly now: () => number;
  /** One circuit breaker per store endpoint group, shared by all apps. */
  readonly breakers: BreakerRegistry;

  constructor(config: GatewayConfig, options: StoreRegistryOptions = {}) {
    this.now = options.now ?? Date.now;
    const observer = options.observer ?? silentObserver;
    const tokens = new onestore.TokenCache({
      now: this.now,
      onLookup: (hit) => observer.cacheLookup('token', hit),
    });
    this.breakers = new BreakerRegistry(config.breaker, observer);
    // One per store of the definition; fromEntries types its keys as string, they are STORE_NAMES.
    const perStore = Object.fromEntries(
      STORE_NAMES.map((name) => [name, new Bulkhead(name, config.bulkhead.perStore)]),
    ) as Record<StoreName, Bulkhead>;
    for (const settings of config.apps.values()) {
      // The app's cap comes first: one busy app queues on its own cap, not on the store's.
      const app = new Bulkhead(`app:${settings.name}`, config.bulkhead.perApp);
      const http = (store: StoreName): HttpSettings => ({
        deadlineMs: config.upstreamDeadlineMs,
        ...(config.breaker.enabled && { breakers: this.breakers }),
        bulkheads: [app, perStore[store]],
        observer,
      });
      this.#apps.set(settings.name, this.#build(settings, config, tokens, http, options.logger, observer));
    }
  }

  #build(
    settings: AppSettings,
    config: GatewayConfig,
    tokenCache: onestore.TokenCache,
    http: (store: StoreName) => HttpSettings,
    logger: StoreLogger | undefined,
    observer: StoreObserver,
  ): AppStores {
    let one: OneStoreMarkets | undefined;
    if (settings.onestore) {
      const s = settings.onestore;
      const byMarket = new Map<Market, OneStoreApp>();
      // One client per market: the token call carries the market too, so the shared cache holds one per market.
      for (const market of s.markets ?? [s.market]) {
        const client = new onestore.OneStoreClient({
          clientId: s.clientId,
          clientSecret: s.clientSecret,
          market,
          environment: s.environment,
          ...(s.baseUrl && { baseUrl: s.baseUrl }),
          tokenCache,
          pools: this.#pools,
          pageBudget: config.listPageBudget,
          http: http('onestore'),
          ...(logger && { logger }),
        });
        this.#clients.push(client);
        byMarket.set(market, {
          client,
          clientId: s.clientId,
          market,
          time: new TimeBasis(s.timeBasis, market),
          environment: environmentOf(s.environment),
        });
      }
      const first = byMarket.values().next().value;
      if (first) one = { first, byMarket };
    }
    let nhn: NhnCloudApp | undefined;
    if (settings.nhncloud) {
      const client = new nhncloud.NhnCloudClient({
        ...(settings.nhncloud.baseUrl && { baseUrl: settings.nhncloud.baseUrl }),
        pools: this.#pools,
        http: http('nhncloud'),
        ...(logger && { logger }),
      });
      this.#clients.push(client);
      nhn = {
        client,
        appSeq: settings.nhncloud.appSeq,
        environment: environmentOf(settings.nhncloud.environment),
      };
    }
    let gb: GamebaseApp | undefined;
    if (settings.gamebase) {
      const s = settings.gamebase;
      const client = new gamebase.GamebaseClient({
        appId: s.appId,
        secretKey: s.secretKey,
        ...(s.baseUrl && { baseUrl: s.baseUrl }),
        pools: this.#pools,
        http: http('gamebase'),
        ...(logger && { logger }),
      });
      this.#clients.push(client);
      gb = { client, appId: s.appId, environment: environmentOf(s.environment) };
    }
    return new AppStores(
      settings.name,
      one,
      nhn,
      gb,
      config.catalogTtlSeconds * 1000,
      observer,
      settings.entitlements ?? {},
    );
  }

  app(name: string): AppStores | undefined {
    return this.#apps.get(name);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#clients.map((c) => c.close()));
    await this.#pools.close();
  }
}
