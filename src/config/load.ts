import { readFile } from 'node:fs/promises';
import {
  type ConfigFile,
  configFileSchema,
  type GamebaseAppConfig,
  type NhnCloudAppConfig,
  type OneStoreAppConfig,
  type Scope,
} from './schema.js';
import { resolveWebhooks, type WebhookSettings } from './webhooks.js';

/** A config whose secrets have been read from the environment. */
export interface AppSettings {
  name: string;
  onestore?: Omit<OneStoreAppConfig, 'clientSecret'> & { clientSecret: string };
  nhncloud?: NhnCloudAppConfig;
  gamebase?: Omit<GamebaseAppConfig, 'secretKey'> & { secretKey: string };
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
  /** The `webhooks` section and every app's endpoints, secrets read (`webhooks.ts`). */
  webhooks: WebhookSettings;
  /** Origins allowed cross-origin access to `/graphql` (`cors.ts`). Default (absent too): none, no CORS header. */
  cors?: ConfigFile['cors'];
}

/** Every problem found, each naming the key it is about, e.g. `apps.demo.onestore.clientId: …`. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid gateway config:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const pathOf = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(root)';

/** Validates a parsed config and reads the secrets it references from `env`. */
export function resolveConfig(
  raw: unknown,
  env: Readonly<Record<string, string | undefined>>,
): GatewayConfig {
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((i) => `${pathOf(i.path)}: ${i.message}`));
  const file: ConfigFile = parsed.data;
  const problems: string[] = [];
  const apps = new Map<string, AppSettings>();
  for (const [name, app] of Object.entries(file.apps)) {
    const settings: AppSettings = { name, ...(app.nhncloud && { nhncloud: app.nhncloud }) };
    if (app.onestore) {
      const variable = app.onestore.clientSecret.env;
      const secret = env[variable];
      if (!secret)
        problems.push(`apps.${name}.onestore.clientSecret: environment variable ${variable} is not set`);
      settings.onestore = { ...app.onestore, clientSecret: secret ?? '' };
    }
    if (app.gamebase) {
      const variable = app.gamebase.secretKey.env;
      const secret = env[variable];
      if (!secret)
        problems.push(`apps.${name}.gamebase.secretKey: environment variable ${variable} is not set`);
      settings.gamebase = { ...app.gamebase, secretKey: secret ?? '' };
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
    webhooks,
    cors: file.cors,
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
  } catch (error) {
    throw new ConfigError([`${path}: not valid JSON (${(error as Error).message})`]);
  }
  return resolveConfig(raw, env);
}
