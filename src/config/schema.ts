import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_PAGE_BUDGET, MAX_PAGE_BUDGET } from '../stores/paging.js';
import { listed, STORE_NAMES } from '../vocabulary/stores.js';
import { appEntitlements, checkEntitlementStores } from './entitlements.js';
import { secretRef } from './secret-ref.js';
import { appWebhooks, checkWebhookSettings, webhooksSection } from './webhooks.js';

const onestoreApp = z.strictObject({
  /** Client ID from the ONE store developer center (also the `{clientId}` path segment). */
  clientId: z.string().min(1).max(128),
  clientSecret: secretRef,
  /**
   * `sandbox` (https://sbpp.onestore.net, default) or `production` (https://iap-apis.onestore.net).
   * With `baseUrl` it still names the environment the URL serves: the app's ONE store grants and
   * events carry it (`SANDBOX` / `PRODUCTION`, docs/entitlements.md, "Environment").
   */
  environment: z.enum(['sandbox', 'production']).default('sandbox'),
  /** Explicit base URL, e.g. the local sandbox; wins over `environment`. */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * `x-market-code` when `markets` is not given: `MKT_ONE` (Korea, default) or `MKT_GLB` (global).
   * Kept for configs written before `markets`; means `markets: [market]`.
   */
  market: z.enum(['MKT_ONE', 'MKT_GLB']).default('MKT_ONE'),
  /**
   * Every market the app sells in; the first is the default of a call that names none. One client
   * and one token per market. Default: `[market]`, i.e. `['MKT_ONE']`.
   */
  markets: z
    .array(z.enum(['MKT_ONE', 'MKT_GLB']))
    .min(1)
    .refine((list) => new Set(list).size === list.length, 'each market once')
    .optional(),
  /**
   * How to read the store's millisecond times. `market` (default): as the document says, MKT_ONE
   * values are UTC+09 wall-clock time (9 h are taken off to get UTC), MKT_GLB values are UTC.
   * `epoch`: every value is already a true UTC epoch.
   */
  timeBasis: z.enum(['market', 'epoch']).default('market'),
  /**
   * The app's licence key from the ONE store developer center (base64 of an X.509
   * SubjectPublicKeyInfo RSA public key, as the console shows it). Checks the signature of ONE
   * store's payment notifications at `POST /notifications/onestore/{app}` (docs/events.md). Not a
   * secret. Default: unset, and that app's notifications are refused (404).
   */
  licensePublicKey: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64 without spaces')
    .refine(isRsaPublicKey, 'a base64 X.509 SubjectPublicKeyInfo of an RSA public key')
    .optional(),
});

function isRsaPublicKey(base64: string): boolean {
  try {
    return (
      createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' })
        .asymmetricKeyType === 'rsa'
    );
  } catch {
    return false;
  }
}

const nhncloudApp = z.strictObject({
  /** App ID (appSeq) from the NHN Cloud IAP console. */
  appSeq: z.string().regex(/^\d{1,19}$/, 'digits'),
  /** Default https://api-iap.cloud.toast.com. */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Whether the app's NHN Cloud payments are test payments (`sandbox`) or real revenue (`production`):
   * NHN Cloud IAP has one host and its payments carry no test flag (document 003), so only the config
   * can say (docs/entitlements.md, "Environment"). Default `production`.
   */
  environment: z.enum(['sandbox', 'production']).default('production'),
});

const gamebaseApp = z.strictObject({
  /** NHN Cloud project ID of the Gamebase app (the `{appId}` path segment). */
  appId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ -'),
  /** The Gamebase console's secret key, sent as `X-Secret-Key`. */
  secretKey: secretRef,
  /** Default https://api-gamebase.nhncloudservice.com. */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * The environment of the app's Gamebase payments that the store does not mark as tests: a payment
   * with `isTestPurchase: true` (or the receipt's `purchaseType: "Test"`) is `SANDBOX` whatever this
   * says (docs/entitlements.md, "Environment"). Default `production`.
   */
  environment: z.enum(['sandbox', 'production']).default('production'),
});

const appConfig = z
  .strictObject({
    onestore: onestoreApp.optional(),
    nhncloud: nhncloudApp.optional(),
    gamebase: gamebaseApp.optional(),
    /** Signed webhooks of this app's events (docs/events.md, "Webhooks"). Default: none. */
    webhooks: appWebhooks,
    /** The entitlement catalogue `player` computes from (`entitlements.ts`, docs/entitlements.md). Default `{}`. */
    entitlements: appEntitlements,
  })
  // Each store's section is under its wire name: a store of the definition without one does not compile.
  .refine(
    (app) => STORE_NAMES.some((name) => app[name] !== undefined),
    `an app needs at least one of ${listed(STORE_NAMES)}`,
  );

/**
 * What an API key may do: `read` (queries, the live stream), `write` (mutations of purchases and
 * subscriptions), `support` (a support desk: read a player, their events and webhook deliveries,
 * redeliver events, and grantEntitlement / revokeGrant, which no other scope may call).
 */
export const SCOPES = ['read', 'write', 'support'] as const;
export type Scope = (typeof SCOPES)[number];

const apiKey = z.strictObject({
  /** Shown in logs; never the key itself. */
  name: z.string().min(1).max(64),
  /** SHA-256 of the key, hex. Keys themselves are never stored. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits'),
  apps: z.array(z.string()).min(1),
  scopes: z.array(z.enum(SCOPES)).min(1),
});

function bulkheadLimits(maxConcurrent: number, maxQueue: number) {
  return z
    .strictObject({
      maxConcurrent: z.int().min(1).max(10_000).default(maxConcurrent),
      maxQueue: z.int().min(0).max(100_000).default(maxQueue),
    })
    .prefault({});
}

/** A budget of `points` per `durationSeconds`; each root field of a request costs one point. */
function rateBudget(points: number, durationSeconds: number) {
  return z
    .strictObject({
      points: z.int().min(1).max(10_000_000).default(points),
      durationSeconds: z.int().min(1).max(86_400).default(durationSeconds),
    })
    .prefault({});
}

export const APP_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * One serialised origin (scheme, host, optional port), compared byte for byte with a browser's
 * `Origin`: no `*`, no `null` (a sandboxed iframe's or a file's origin), no path or trailing slash.
 */
const corsOrigin = z
  .string()
  .refine(
    (origin) =>
      URL.canParse(origin) && /^https?:$/.test(new URL(origin).protocol) && new URL(origin).origin === origin,
    'an origin: http(s)://host[:port], lowercase, no path, no trailing slash, no * and no null',
  );

/**
 * The subscription scheduler: every subscription the ledger granted is re-read when it can have
 * changed, and its lifecycle events written (docs/events.md, docs/operations.md).
 */
export const subscriptionTrackingSection = z
  .strictObject({
    /** Whether the scheduler runs. Default true. */
    enabled: z.boolean().default(true),
    /**
     * Time between ticks (each reads one batch of due subscriptions), seconds, fractions allowed down to
     * 0.05 (tests that wait for a tick); 0: no timer. Default 30.
     */
    tickSeconds: z
      .number()
      .min(0)
      .max(3_600)
      .refine((s) => s === 0 || s >= 0.05, 'tickSeconds is 0 (no timer) or at least 0.05')
      .default(30),
    /** Subscriptions read per tick at most. Default 100. */
    batchSize: z.int().min(1).max(500).default(100),
    /** Store reads in flight at once within a tick. Default 4. */
    concurrency: z.int().min(1).max(64).default(4),
    /** Store reads per second per store, by this process's scheduler. Default 10. */
    callsPerSecond: z.number().min(0.01).max(10_000).default(10),
    /** Read this long after a time the store announced (expiry, next payment, pause edges, consent due), seconds. Default 60. */
    marginSeconds: z.int().min(0).max(3_600).default(60),
    /** Longest wait between reads in grace or hold, seconds. Default 14400 (4 h). */
    billingIssueIntervalSeconds: z.int().min(60).max(86_400).default(14_400),
    /** Longest wait between reads whatever the state, seconds. Default 86400 (a day). */
    maxIntervalSeconds: z.int().min(60).max(604_800).default(86_400),
    /** A failed read is tried again after full jitter below min(max, initial × 2^(failures − 1)): initial, seconds. Default 60. */
    retryInitialSeconds: z.int().min(1).max(3_600).default(60),
    /** The cap of that backoff, seconds. Default 3600. */
    retryMaxSeconds: z.int().min(1).max(86_400).default(3_600),
  })
  .prefault({});

/**
 * The entitlement events worker: ENTITLEMENT_* events when a player's computed entitlements change
 * (docs/events.md, "Entitlement events").
 */
export const entitlementEventsSection = z
  .strictObject({
    /** Whether the worker runs (players are still marked by their facts, and computed once it runs again). Default true. */
    enabled: z.boolean().default(true),
    /**
     * Time between polls for players whose entitlements reach an expiry, and for other replicas'
     * changes (this process's commits wake it at once), seconds, fractions allowed down to 0.05
     * (tests); 0: no timer. Default 30: an EXPIRED event comes at most this long after the expiry.
     */
    pollIntervalSeconds: z
      .number()
      .min(0)
      .max(3_600)
      .refine((s) => s === 0 || s >= 0.05, 'pollIntervalSeconds is 0 (no timer) or at least 0.05')
      .default(30),
    /** Players read per claim. Default 100. */
    batchSize: z.int().min(1).max(1_000).default(100),
  })
  .prefault({});

export const configFileSchema = z
  .strictObject({
    apps: z.record(z.string().regex(APP_NAME, 'app names are lowercase letters, digits, _ and -'), appConfig),
    apiKeys: z.array(apiKey).min(1),
    /** How long an NHN item catalogue is reused, seconds. Default 60. */
    catalogTtlSeconds: z.int().min(0).max(86_400).default(60),
    /** Most upstream calls one GraphQL request runs at once. Default 8. */
    upstreamConcurrency: z.int().min(1).max(64).default(8),
    /** Overall deadline of one upstream call including retries, ms. Default 10000. */
    upstreamDeadlineMs: z.int().min(100).max(120_000).default(10_000),
    /** Overall deadline of one GraphQL request; every upstream call it causes ends by then, ms. Default 15000. */
    requestDeadlineMs: z.int().min(100).max(300_000).default(15_000),
    /**
     * Most store pages (of 100 entries) one list walk reads: one revocation-sync run per app and market
     * (the next resumes), or one Relay walk of `voidedPurchases` / `unconfirmedPurchases`, whatever its
     * `first` (then: list a narrower `since`/`until`). Default 100, most 1000 (`stores/paging.ts`).
     */
    listPageBudget: z.int().min(1).max(MAX_PAGE_BUDGET).default(DEFAULT_PAGE_BUDGET),
    /** Share of successful requests that get an access log line, 0 to 1 (errors and refusals always do). Default 1. */
    accessLogSampleSuccesses: z.number().min(0).max(1).default(1),
    /** Circuit breaker per store endpoint group (token, reads, state changes). Defaults below. */
    breaker: z
      .strictObject({
        /** False turns every breaker off (calls always go to the store). Default true. */
        enabled: z.boolean().default(true),
        /** Consecutive failures that open it. Default 5. */
        consecutiveFailures: z.int().min(1).max(1_000).default(5),
        /** Failure share over `windowMs` that opens it. Default 0.5. */
        failureRatio: z.number().gt(0).max(1).default(0.5),
        /** Calls in the window before the ratio counts. Default 20. */
        minimumCalls: z.int().min(1).max(100_000).default(20),
        /** Sliding window of the ratio, ms. Default 10000. */
        windowMs: z.int().min(100).max(600_000).default(10_000),
        /** Time open before one probe call, ms. Default 5000. */
        openMs: z.int().min(10).max(600_000).default(5_000),
        /** Longest a maintenance `Retry-After` keeps it open, ms. Default 60000. */
        maxOpenMs: z.int().min(10).max(3_600_000).default(60_000),
      })
      .prefault({}),
    /** Caps on concurrent upstream calls, with bounded queues; a call past a full queue fails fast. */
    bulkhead: z
      .strictObject({
        // Queues are long enough for bursts of batch checks (each runs upstreamConcurrency calls at
        // once); a queued call still ends at its request's deadline. The caps allow 128 calls in
        // flight per app: at 32, a store answering in 50 ms capped an app at 640 calls a second.
        /** Per store (all apps together). Default 256 running, 8192 queued. */
        perStore: bulkheadLimits(256, 8192),
        /** Per app (all its stores together). Default 128 running, 4096 queued. */
        perApp: bulkheadLimits(128, 4096),
      })
      .prefault({}),
    /**
     * Request budgets (fixed windows); a root field past one gets `RateLimitedError` and calls no
     * store. In memory per process, or shared through Redis when `REDIS_URL` is set.
     */
    rateLimits: z
      .strictObject({
        /** False turns both limits off. Default true. */
        enabled: z.boolean().default(true),
        /** Per API key, all its apps together. Default 600 points per 60 s. */
        perKey: rateBudget(600, 60),
        /** Per app, all keys together. Default 1200 points per 60 s. */
        perApp: rateBudget(1200, 60),
      })
      .prefault({}),
    /**
     * The grant ledger behind `redeemPurchase`. Embedded (a SQLite file in `dataDir`) unless the
     * environment sets DATABASE_URL, then PostgreSQL shared by every replica.
     */
    ledger: z
      .strictObject({
        /** Directory of the embedded ledger (its file: `ledger.sqlite`); one process at a time may use it. Default `./data/ledger`. */
        dataDir: z.string().min(1).default('./data/ledger'),
        /** With DATABASE_URL: how long connecting may take before the start fails, ms. Default 5000. */
        connectTimeoutMs: z.int().min(1).max(120_000).default(5_000),
        /**
         * How long a pending grant stays claimed by the call that wrote it, seconds; it must
         * outlast an upstream call (`upstreamDeadlineMs`). Default 30.
         */
        leaseSeconds: z.int().min(1).max(3_600).default(30),
        /** How often pending grants left by a crash are settled, seconds; 0 leaves only start-up recovery. Default 30. */
        sweepIntervalSeconds: z.int().min(0).max(86_400).default(30),
        /** How long a duplicate redeem waits for a concurrent one before `RedemptionInProgressError`, ms. Default 2000. */
        inProgressWaitMs: z.int().min(0).max(30_000).default(2_000),
        /** How often ONE store voided purchases are synced into revocations, seconds; 0: only `syncRevocations`. Default 300. */
        revocationSyncIntervalSeconds: z.int().min(0).max(86_400).default(300),
        /** How far each revocation sync reaches back before the last completed one, seconds. Default 86400. */
        revocationOverlapSeconds: z.int().min(0).max(2_592_000).default(86_400),
        /**
         * How long a CANCELED ONE store payment notification that the store contradicted (the
         * purchase still paid) is remembered in the ledger, seconds: a resend meanwhile is answered
         * 503 with no store read. 0 reads the store on every resend. Default 300.
         */
        pnsStoreDisagreesTtlSeconds: z.int().min(0).max(86_400).default(300),
      })
      .prefault({}),
    /** The subscription scheduler (docs/events.md, docs/operations.md); defaults in `subscriptionTrackingSection`. */
    subscriptionTracking: subscriptionTrackingSection,
    /** The entitlement events worker (docs/events.md); defaults in `entitlementEventsSection`. */
    entitlementEvents: entitlementEventsSection,
    /** The live event stream (`gatewayEvents` subscription over server-sent events); see docs/events.md. */
    eventStreams: z
      .strictObject({
        /** Most streams one API key may have open at once, per gateway process; 0 refuses every stream. Default 10. */
        maxPerKey: z.int().min(0).max(10_000).default(10),
        /**
         * Every open stream reads the ledger again this often whatever it was told, seconds: the
         * safety net under LISTEN/NOTIFY and in-process wake-ups. Default 30.
         */
        pollIntervalSeconds: z.int().min(1).max(3_600).default(30),
      })
      .prefault({}),
    /** How webhooks are delivered (retries, backoff, timeouts); the endpoints are per app. Defaults in `webhooks.ts`. */
    webhooks: webhooksSection,
    /**
     * The support page at `/console` (docs/entitlements.md, "The support console"): a page served
     * by the gateway, its data only for an API key with the `support` scope. Default: off, and
     * `/console` answers 404 like any unknown path; sandbox mode turns it on.
     */
    console: z
      .strictObject({
        /** Serve `/console`, its assets and `/console/graphql`. Default false. */
        enabled: z.boolean().default(false),
      })
      .prefault({}),
    /**
     * Introspection (`__schema`, `__type`) and field suggestions in validation errors ("Did you
     * mean ...?"). Default false: a production gateway does not hand out its schema; sandbox mode
     * turns it on.
     */
    introspection: z.boolean().default(false),
    /**
     * Cross-origin (browser) access to `/graphql`. Default: no origin, and no CORS header at all:
     * callers are servers. What a listed origin gets is in docs/SECURITY.md ("CORS").
     */
    cors: z
      .strictObject({
        /** Origins a browser page may call from, exactly as it sends them (`https://console.example.com`). Default `[]`. */
        origins: z.array(corsOrigin).default([]),
      })
      .prefault({}),
    /**
     * Accept only the operations in `schema/persisted-operations.json` (by sha256 hash, or their
     * exact text); any other document is rejected before parsing. Default false; sandbox mode keeps it off.
     */
    persistedOperations: z.boolean().default(false),
    /** Caps on what one request may ask for; each default is in `docs/SECURITY.md`. */
    limits: z
      .strictObject({
        /** Largest request body, bytes (HTTP 413 above it). Default 100000. */
        maxBodyBytes: z.int().min(1_000).max(25_000_000).default(100_000),
        /** Lexical tokens in one document. Default 2000. */
        maxTokens: z.int().min(50).max(100_000).default(2_000),
        /** Selection depth, fragments flattened (the deepest real selection is 5). Default 8. */
        maxDepth: z.int().min(3).max(100).default(8),
        /** Aliases in one operation. Default 30. */
        maxAliases: z.int().min(0).max(1_000).default(30),
        /** Directives in one operation. Default 20. */
        maxDirectives: z.int().min(0).max(1_000).default(20),
        /**
         * Cost of the operation run (GraphQL Armor: object 2, scalar 1, ×1.5 per level, × the page
         * size `first` amounts to once variables are known). Default 25000: every paged field at
         * its largest page (100) with the selections the project shows passes (docs/SECURITY.md).
         */
        maxCost: z.int().min(100).max(1_000_000).default(25_000),
        /** Entries of one `checkEntitlements` call; it can only be lowered. Default 100. */
        maxChecks: z.int().min(1).max(100).default(100),
        /**
         * Name the limit and its value in the error message. Default false, so a caller cannot
         * map the limits by probing; sandbox mode turns it on.
         */
        exposeLimits: z.boolean().default(false),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    if (config.ledger.leaseSeconds * 1000 <= config.upstreamDeadlineMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['ledger', 'leaseSeconds'],
        message: `must exceed upstreamDeadlineMs (${config.upstreamDeadlineMs} ms): a claim may not expire while its upstream call can still land`,
      });
    }
    checkWebhookSettings(config.webhooks, ctx);
    checkEntitlementStores(config.apps, ctx);
    config.apiKeys.forEach((key, index) => {
      key.apps.forEach((app, appIndex) => {
        if (!Object.hasOwn(config.apps, app)) {
          ctx.addIssue({
            code: 'custom',
            path: ['apiKeys', index, 'apps', appIndex],
            message: `no app named "${app}"`,
          });
        }
      });
    });
  });

export type ConfigFile = z.output<typeof configFileSchema>;
export type OneStoreAppConfig = z.output<typeof onestoreApp>;
export type NhnCloudAppConfig = z.output<typeof nhncloudApp>;
export type GamebaseAppConfig = z.output<typeof gamebaseApp>;
