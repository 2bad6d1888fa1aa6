import { type GatewayConfig, resolveConfig } from '../config/load.js';
import {
  DEMO_GAMEBASE,
  DEMO_NHN,
  DEMO_ONESTORE,
  DEMO_PNS_PUBLIC_KEY,
  type Sandbox,
  startSandbox,
} from '../sandbox/index.js';
import { sha256Hex } from './api-keys.js';
import type { GatewayOptions } from './create-gateway.js';
import { GRAPHIQL_EXAMPLES } from './graphiql-examples.js';
import { PNS_PATH_PREFIX } from './onestore-pns.js';

/** API key of sandbox mode when DEMO_API_KEY is not set. Sandbox data only: never a real store. */
export const DEFAULT_DEMO_API_KEY = 'demo-key';
export const DEMO_APP = 'demo';
/**
 * Signing secret of sandbox mode's webhook endpoint when SANDBOX_WEBHOOK_SECRET is not set, in the
 * Standard Webhooks form (`whsec_` + base64) that its libraries take as is. Sandbox data only.
 */
export const DEFAULT_SANDBOX_WEBHOOK_SECRET = `whsec_${Buffer.from('sandbox-demo-webhook-secret-0001').toString('base64')}`;

export interface SandboxMode {
  sandbox: Sandbox;
  config: GatewayConfig;
  apiKey: string;
  /** The sandbox's clock for entitlements, and GraphiQL with the examples and the key preset. */
  options: GatewayOptions;
  /** Calls a minute per key and per app; undefined when rate limits are off. */
  rateLimits: { perKey: number; perApp: number } | undefined;
  /** The demo app's webhook endpoint (every event type), when a URL was given. */
  webhook: { url: string; secret: string } | undefined;
}

/** The demo app's entitlement catalogue, over the sandbox's demo products (docs/entitlements.md). */
const DEMO_ENTITLEMENTS = {
  vip: {
    products: [
      { store: 'ONESTORE', productId: 'vip_monthly' },
      { store: 'ONESTORE', productId: 'pro_subscription' },
      { store: 'GAMEBASE', gamebaseProductId: 'vip_monthly' },
    ],
    grants: 'whileSubscribed',
  },
  premium: { products: [{ store: 'ONESTORE', productId: 'premium_pass' }], grants: 'forever' },
  gem_bonus: {
    products: [
      { store: 'NHN_CLOUD', marketItemId: 'gem_pack' },
      { store: 'GAMEBASE', gamebaseProductId: 'gem_100' },
    ],
    grants: { days: 7 },
  },
};

/** The embedded sandbox with demo data, and a config for one demo app on both of its stores. */
/**
 * @param settings.port the sandbox's port; default 0 (any free one).
 * @param settings.apiKey the demo API key; default {@link DEFAULT_DEMO_API_KEY}.
 * @param settings.perKeyPerMinute calls a minute per API key; default 600 (the config file's
 *   default). 0 turns rate limits off, e.g. for a load test against sandbox mode.
 * @param settings.perAppPerMinute calls a minute per app; default 1200. 0 turns rate limits off.
 * @param settings.webhookUrl where every event of the demo app is POSTed (endpoint `sandbox`); default
 *   none (no webhooks).
 * @param settings.webhookSecret its signing secret; default {@link DEFAULT_SANDBOX_WEBHOOK_SECRET}.
 */
export async function startSandboxMode(
  settings: {
    port?: number;
    apiKey?: string;
    perKeyPerMinute?: number;
    perAppPerMinute?: number;
    webhookUrl?: string;
    webhookSecret?: string;
  } = {},
): Promise<SandboxMode> {
  const perKey = settings.perKeyPerMinute ?? 600;
  const perApp = settings.perAppPerMinute ?? 1200;
  const sandbox = await startSandbox({ port: settings.port ?? 0, demo: true });
  const apiKey = settings.apiKey || DEFAULT_DEMO_API_KEY;
  const webhook = settings.webhookUrl
    ? { url: settings.webhookUrl, secret: settings.webhookSecret || DEFAULT_SANDBOX_WEBHOOK_SECRET }
    : undefined;
  const config = resolveConfig(
    {
      apps: {
        [DEMO_APP]: {
          onestore: {
            clientId: DEMO_ONESTORE.clientId,
            clientSecret: { env: 'DEMO_CLIENT_SECRET' },
            baseUrl: sandbox.url,
            markets: ['MKT_ONE', 'MKT_GLB'],
            // Demo only: the public half of the sandbox's PNS signing key pair (src/sandbox/onestore/pns-demo-key.ts).
            licensePublicKey: DEMO_PNS_PUBLIC_KEY,
          },
          nhncloud: { appSeq: DEMO_NHN.appSeq, baseUrl: sandbox.url },
          gamebase: {
            appId: DEMO_GAMEBASE.appId,
            secretKey: { env: 'DEMO_GAMEBASE_SECRET' },
            baseUrl: sandbox.url,
          },
          ...(webhook && {
            webhooks: [{ name: 'sandbox', url: webhook.url, secret: { env: 'DEMO_WEBHOOK_SECRET' } }],
          }),
          entitlements: DEMO_ENTITLEMENTS,
        },
      },
      // Every scope: the demo shows the support actions (grantEntitlement, revokeGrant) too.
      apiKeys: [
        {
          name: 'demo',
          sha256: sha256Hex(apiKey),
          apps: [DEMO_APP],
          scopes: ['read', 'write', 'support'],
        },
      ],
      // The support page at /console, for the demo key (docs/entitlements.md, "The support console").
      console: { enabled: true },
      // Demo data only: GraphiQL's docs, suggestions and limit names help more than they reveal.
      introspection: true,
      limits: { exposeLimits: true },
      rateLimits:
        perKey > 0 && perApp > 0
          ? {
              perKey: { points: perKey, durationSeconds: 60 },
              perApp: { points: perApp, durationSeconds: 60 },
            }
          : { enabled: false },
    },
    {
      DEMO_CLIENT_SECRET: DEMO_ONESTORE.clientSecret,
      DEMO_GAMEBASE_SECRET: DEMO_GAMEBASE.secretKey,
      ...(webhook && { DEMO_WEBHOOK_SECRET: webhook.secret }),
    },
  );
  const options: GatewayOptions = {
    now: () => sandbox.clock.now(),
    graphiql: { defaultQuery: GRAPHIQL_EXAMPLES, headers: { authorization: `Bearer ${apiKey}` } },
  };
  return {
    sandbox,
    config,
    apiKey,
    options,
    rateLimits: perKey > 0 && perApp > 0 ? { perKey, perApp } : undefined,
    webhook,
  };
}

/**
 * Points the sandbox's ONE store payment notifications for the demo app at the gateway's PNS
 * endpoint (`POST /notifications/onestore/demo`), kept across sandbox resets. `gatewayUrl` is the
 * gateway's base URL, e.g. `http://127.0.0.1:4000`.
 */
export function pointSandboxAtGateway(sandbox: Sandbox, gatewayUrl: string): string {
  const url = `${gatewayUrl}${PNS_PATH_PREFIX}${DEMO_APP}`;
  sandbox.core.pns.setUrl(DEMO_ONESTORE.clientId, url, { keepOnReset: true });
  return url;
}
