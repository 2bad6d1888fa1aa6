import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { ConfigError, type GatewayConfig, loadConfigFile } from './config/load.js';
import { type LedgerStorage, openLedgerStorage } from './redemption/service.js';
import type { Sandbox } from './sandbox/index.js';
import { ApiKeyRing } from './server/api-keys.js';
import { createGateway, type GatewayOptions } from './server/create-gateway.js';
import { Lifecycle } from './server/health.js';
import { createLogger } from './server/logger.js';
import { startSandboxMode } from './server/sandbox-mode.js';
import { startTracing } from './server/tracing.js';

/** Default port of the gateway; PORT overrides it. */
const DEFAULT_PORT = 4000;
/** How long in-flight requests may finish after SIGTERM, ms; SHUTDOWN_GRACE_MS overrides it. */
const SHUTDOWN_GRACE_MS = Number(process.env.SHUTDOWN_GRACE_MS ?? 10_000);
/**
 * After SIGTERM, how long /readyz answers 503 while the server still serves, so load balancers
 * stop sending new requests before it stops accepting them, ms; SHUTDOWN_DRAIN_DELAY_MS overrides
 * it. Default 3000 (SIGINT, an operator's Ctrl-C, skips it).
 */
const SHUTDOWN_DRAIN_DELAY_MS = Number(process.env.SHUTDOWN_DRAIN_DELAY_MS ?? 3_000);
/**
 * JSON log lines with secrets redacted; store-call lines carry the request's `requestId`.
 * LOG_LEVEL, default `info`.
 */
const log = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });

const { values } = parseArgs({ options: { config: { type: 'string' } } });
const configPath = values.config ?? process.env.GATEWAY_CONFIG;
const port = Number(process.env.PORT ?? DEFAULT_PORT);
const host = process.env.HOST ?? '127.0.0.1';

let config: GatewayConfig;
let sandbox: Sandbox | undefined;
let options: GatewayOptions = {};
let banner: string[] = [];
try {
  if (configPath) {
    config = await loadConfigFile(configPath, process.env);
  } else {
    const mode = await startSandboxMode({
      port: Number(process.env.SANDBOX_PORT ?? 0),
      ...(process.env.DEMO_API_KEY && { apiKey: process.env.DEMO_API_KEY }),
    });
    ({ sandbox, config, options } = mode);
    banner = [
      'Sandbox mode: no config given, so the gateway talks to an embedded store sandbox with demo data.',
      `  API key:   ${mode.apiKey}   (set DEMO_API_KEY to change it)`,
      `  Sandbox:   ${mode.sandbox.url}  (control API: ${mode.sandbox.url}/sandbox/v1/demo)`,
      '  Try:',
      `    curl -s localhost:${port}/graphql -H 'authorization: Bearer ${mode.apiKey}' -H 'content-type: application/json' \\`,
      `      -d '{"query":"{ purchase(app: \\"demo\\", productId: \\"gem_100\\", purchaseToken: \\"DEMOINAPP00000000001\\") { __typename ... on Purchase { purchaseState entitlement { active reason } } } }"}'`,
    ];
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(2);
}

/**
 * The grant ledger: PostgreSQL when DATABASE_URL is set (shared by every replica), else the
 * embedded SQLite file in `ledger.dataDir` (one process). Sandbox mode keeps it in memory, opened
 * at start: SQLite opens in milliseconds, so the first redemption pays no cold start.
 */
let ledger: LedgerStorage | undefined;
try {
  if (process.env.DATABASE_URL)
    ledger = await openLedgerStorage({
      url: process.env.DATABASE_URL,
      connectTimeoutMs: config.ledger.connectTimeoutMs,
    });
  else ledger = await openLedgerStorage(sandbox ? {} : { dataDir: config.ledger.dataDir });
} catch (error) {
  // The message names the database problem; the URL (which may hold a password) is never printed.
  console.error(`cannot open the grant ledger: ${error instanceof Error ? error.message : 'unknown error'}`);
  process.exit(2);
}
const ledgerKind = process.env.DATABASE_URL
  ? 'PostgreSQL (DATABASE_URL)'
  : sandbox
    ? 'embedded, in memory (sandbox)'
    : `embedded, ${config.ledger.dataDir}/ledger.sqlite`;

const tracing = await startTracing(process.env);
const lifecycle = new Lifecycle();
/**
 * REDIS_URL (e.g. redis://redis:6379): rate-limit budgets live there, shared by every replica
 * using it; RATE_LIMIT_KEY_PREFIX (default `gateway:rl`) names its keys. Unset: in memory.
 */
const redis = process.env.REDIS_URL
  ? // No offline queue: while Redis is away, limits fall back to memory at once instead of waiting.
    new Redis(process.env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
  : undefined;
redis?.on('error', (error: Error) => log.warn({ err: error.message }, 'redis (rate limits) unavailable'));
const keys = new ApiKeyRing(config.apiKeys);
const yoga = createGateway(config, {
  ...options,
  lifecycle,
  logger: log,
  keys,
  ...(ledger && { ledger }),
  ...(redis && {
    rateLimitStore: {
      redis,
      ...(process.env.RATE_LIMIT_KEY_PREFIX && { keyPrefix: process.env.RATE_LIMIT_KEY_PREFIX }),
    },
  }),
});
const server = createServer(yoga);
server.listen(port, host, () => {
  const bound = (server.address() as AddressInfo).port;
  console.log(
    `Entitlement gateway on http://${host === '0.0.0.0' ? 'localhost' : host}:${bound}/graphql${options.graphiql ? ' (GraphiQL: open it in a browser)' : ''}`,
  );
  console.log(`Grant ledger: ${ledgerKind}`);
  for (const line of banner) console.log(line);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  lifecycle.draining = true;
  if (signal === 'SIGTERM' && SHUTDOWN_DRAIN_DELAY_MS > 0) {
    log.info(
      { signal, ms: SHUTDOWN_DRAIN_DELAY_MS },
      'readiness off; still serving while load balancers notice',
    );
    await sleep(SHUTDOWN_DRAIN_DELAY_MS);
  }
  log.info({ signal, graceMs: SHUTDOWN_GRACE_MS }, 'stopped accepting; finishing in-flight requests');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await closed;
  clearTimeout(timer);
  // Pools and the ledger close after the last response.
  await yoga.dispose();
  await ledger?.db.close();
  redis?.disconnect();
  await tracing?.shutdown();
  await sandbox?.close();
  log.info({ signal }, 'shut down');
  process.exit(0);
}
/**
 * SIGHUP re-reads the config file's `apiKeys` and swaps them in; nothing else of the file is
 * applied (apps, limits and the rest need a restart). A file that fails validation keeps the old keys.
 */
async function reloadKeys() {
  if (!configPath) {
    log.warn('SIGHUP ignored: sandbox mode has no config file to reload');
    return;
  }
  try {
    const next = await loadConfigFile(configPath, process.env);
    const names = keys.replace(next.apiKeys);
    log.info({ keys: names }, 'API keys reloaded; apps and other settings need a restart to change');
    // Compared in memory only: the resolved apps hold secrets and are never logged.
    if (JSON.stringify([...next.apps]) !== JSON.stringify([...config.apps]))
      log.warn('SIGHUP: apps in the config file changed; they apply only after a restart');
  } catch (error) {
    log.error(
      { err: error instanceof ConfigError ? error.problems : String(error) },
      'SIGHUP: config invalid, API keys unchanged',
    );
  }
}
process.on('SIGHUP', () => void reloadKeys());
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
