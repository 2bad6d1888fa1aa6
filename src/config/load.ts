import { readFile } from 'node:fs/promises';
import { STORE_NAMES, type StoreName } from '../vocabulary/stores.js';
import type { EntitlementCatalogue } from './entitlements.js';
import { describeIssue } from './hints.js';
import { jsonSyntaxProblem } from './json-syntax.js';
import { type ConfigFile, configFileSchema, type Scope } from './schema.js';
import { resolveWebhooks, type WebhookSettings } from './webhooks.js';

/** A store's section of an app with every secret reference (`{ env }`) replaced by the secret it names. */
type WithSecrets<T> = { [K in keyof T]: T[K] extends { env: string } ? string : T[K] };
type StoreSections = Pick<ConfigFile['apps'][string], StoreName>;

/** A config whose secrets have been read from the environment: a section per configured store. */
export type AppSettings = {
  name: string;
  /** The app's entitlement catalogue (`entitlements.ts`). Default (absent too): none. */
  entitlements?: EntitlementCatalogue;
} & {
  [S in StoreName]?: WithSecrets<NonNullable<StoreSections[S]>>;
};

/** The config schema is strict: an object with a string `env` in a store's section is a secret reference. */
const isSecretRef = (value: unknown): value is { env: string } =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  typeof (value as { env?: unknown }).env === 'string';

/** `section` with its secrets read from `env`; a variable not set is a problem naming its key (`at`). */
function withSecrets<T extends object>(
  section: T,
  at: string,
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): WithSecrets<T> {
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section)) {
    if (!isSecretRef(value)) {
      resolved[key] = value;
      continue;
    }
    const secret = env[value.env];
    if (!secret) problems.push(`${at}.${key}: environment variable ${value.env} is not set`);
    resolved[key] = secret ?? '';
  }
  // Every key is kept; only the secret references became their (string) secrets.
  return resolved as WithSecrets<T>;
}

export interface ApiKeySettings {
  name: string;
  sha256: string;
  apps: readonly string[];
  scopes: readonly Scope[];
}

export interface GatewayConfig {
  apps: ReadonlyMap<string, AppSettings>;
  apiKeys: readonly ApiKeySettings[];
  catalogTtlSeconds: number;
  upstreamConcurrency: number;
  upstreamDeadlineMs: number;
  requestDeadlineMs: number;
  /** See `listPageBudget` in `schema.ts`. */
  listPageBudget: number;
  /** See `accessLogSampleSuccesses` in `schema.ts`. */
  accessLogSampleSuccesses: number;
  breaker: ConfigFile['breaker'];
  bulkhead: ConfigFile['bulkhead'];
  introspection: boolean;
  /** Accept only the operations of `schema/persisted-operations.json`. */
  persistedOperations: boolean;
  limits: ConfigFile['limits'];
  rateLimits: ConfigFile['rateLimits'];
  ledger: ConfigFile['ledger'];
  eventStreams: ConfigFile['eventStreams'];
  /** The subscription scheduler. Default (absent too): every default of `subscriptionTrackingSection`. */
  subscriptionTracking?: ConfigFile['subscriptionTracking'];
  /** The entitlement events worker. Default (absent too): every default of `entitlementEventsSection`. */
  entitlementEvents?: ConfigFile['entitlementEvents'];
  /** The `webhooks` section and every app's endpoints, secrets read (`webhooks.ts`). */
  webhooks: WebhookSettings;
  /** Origins allowed cross-origin access to `/graphql` (`cors.ts`). Default (absent too): none, no CORS header. */
  cors?: ConfigFile['cors'];
  /** The support console at `/console` (`console/plugin.ts`). Default (absent too): off. */
  console?: ConfigFile['console'];
}

/** Every problem found, each naming the key it is about, e.g. `apps.demo.onestore.clientId: …`. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid gateway config:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates a parsed config and reads the secrets it references from `env`. */
export function resolveConfig(
  raw: unknown,
  env: Readonly<Record<string, string | undefined>>,
): GatewayConfig {
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => describeIssue(i, raw)));
  const file: ConfigFile = parsed.data;
  const problems: string[] = [];
  const apps = new Map<string, AppSettings>();
  for (const [name, app] of Object.entries(file.apps)) {
    const settings: AppSettings = { name, entitlements: app.entitlements };
    for (const store of STORE_NAMES) {
      const section = app[store];
      if (section !== undefined)
        Object.assign(settings, { [store]: withSecrets(section, `apps.${name}.${store}`, env, problems) });
    }
    apps.set(name, settings);
  }
  const webhooks = resolveWebhooks(file.apps, file.webhooks, env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    apps,
    apiKeys: file.apiKeys,
    catalogTtlSeconds: file.catalogTtlSeconds,
    upstreamConcurrency: file.upstreamConcurrency,
    upstreamDeadlineMs: file.upstreamDeadlineMs,
    requestDeadlineMs: file.requestDeadlineMs,
    listPageBudget: file.listPageBudget,
    accessLogSampleSuccesses: file.accessLogSampleSuccesses,
    breaker: file.breaker,
    bulkhead: file.bulkhead,
    introspection: file.introspection,
    persistedOperations: file.persistedOperations,
    limits: file.limits,
    rateLimits: file.rateLimits,
    ledger: file.ledger,
    eventStreams: file.eventStreams,
    subscriptionTracking: file.subscriptionTracking,
    entitlementEvents: file.entitlementEvents,
    webhooks,
    cors: file.cors,
    console: file.console,
  };
}

export async function loadConfigFile(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // JSON.parse's own message may quote the text, secrets included: the position comes from
    // jsonSyntaxProblem instead.
    throw new ConfigError([`${path}: not valid JSON at ${jsonSyntaxProblem(text) ?? 'an unknown place'}`]);
  }
  return resolveConfig(raw, env);
}
