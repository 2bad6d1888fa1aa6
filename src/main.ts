import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { EnvError, envHelp, type GatewayEnv, parseEnv, removedEnvWarnings } from './config/env.js';
import { ConfigError, type GatewayConfig, loadConfigFile } from './config/load.js';
import { type LedgerStorage, openLedgerStorage } from './redemption/service.js';
import type { Sandbox } from './sandbox/index.js';
import { ApiKeyRing } from './server/api-keys.js';
import { createGateway, type GatewayOptions } from './server/create-gateway.js';
import { Lifecycle } from './server/health.js';
import { createLogger } from './server/logger.js';
import { createGatewayServer } from './server/node-listener.js';
import { startTracing } from './server/tracing.js';

/** A start-up problem: the message only (it names the setting and the fix), no stack, exit 2. */
function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

let args: ReturnType<typeof parseCommandLine>;
function parseCommandLine() {
  return parseArgs({ options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
}
try {
  args = parseCommandLine();
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n\n${envHelp()}`);
}
if (args.values.help) {
  console.log(envHelp());
  process.exit(0);
}
/** Every environment variable, checked once; defaults and meanings are in src/config/env.ts. */
let env: GatewayEnv;
try {
  env = parseEnv(process.env);
} catch (error) {
  fail(error instanceof EnvError ? error.message : String(error));
}
/**
 * After SIGTERM, how long /readyz answers 503 while the server still serves, so load balancers
 * stop sending new requests before it stops accepting them (SIGINT, an operator's Ctrl-C, skips it).
 */
const SHUTDOWN_DRAIN_DELAY_MS = env.SHUTDOWN_DRAIN_DELAY_MS;
const SHUTDOWN_GRACE_MS = env.SHUTDOWN_GRACE_MS;
/** JSON log lines with secrets redacted; store-call lines carry the request's `requestId`. */
const log = createLogger({ level: env.LOG_LEVEL });
for (const warning of removedEnvWarnings(process.env)) log.warn(warning);

const configPath = args.values.config ?? env.GATEWAY_CONFIG;
const { PORT: port, HOST: host } = env;

let config: GatewayConfig;
let sandbox: Sandbox | undefined;
let options: GatewayOptions = {};
let banner: string[] = [];
/** Sandbox mode: points the embedded sandbox's payment notifications at the bound gateway. */
let pointSandboxAt: ((gatewayUrl: string) => string) | undefined;
/** Sandbox mode's facts for the JSON banner. */
let sandboxInfo:
  | {
      url: string;
      apiKey: string;
      rateLimits: { perKey: number; perApp: number } | 'off';
      webhook?: { url: string; secret: string };
    }
  | undefined;
try {
  if (configPath) {
    config = await loadConfigFile(configPath, process.env);
  } else {
    // Loaded only in sandbox mode (the sandbox and its demo data): a configured gateway never needs it.
    const sandboxMode = await import('./server/sandbox-mode.js');
    const { startSandboxMode } = sandboxMode;
    pointSandboxAt = (gatewayUrl) => sandboxMode.pointSandboxAtGateway(mode.sandbox, gatewayUrl);
    const mode = await startSandboxMode({
      port: env.SANDBOX_PORT,
      perKeyPerMinute: env.SANDBOX_RATE_LIMIT_PER_KEY,
      perAppPerMinute: env.SANDBOX_RATE_LIMIT_PER_APP,
      ...(env.DEMO_API_KEY && { apiKey: env.DEMO_API_KEY }),
      ...(env.SANDBOX_WEBHOOK_URL && { webhookUrl: env.SANDBOX_WEBHOOK_URL }),
      ...(env.SANDBOX_WEBHOOK_SECRET && { webhookSecret: env.SANDBOX_WEBHOOK_SECRET }),
    }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
        fail(
          `SANDBOX_PORT=${env.SANDBOX_PORT}: port ${env.SANDBOX_PORT} is already in use; fix: stop what listens there, or set SANDBOX_PORT to a free port (0: any free port)`,
        );
      throw error;
    });
    ({ sandbox, config, options } = mode);
    sandboxInfo = {
      url: mode.sandbox.url,
      apiKey: mode.apiKey,
      rateLimits: mode.rateLimits ?? 'off',
      ...(mode.webhook && { webhook: mode.webhook }),
    };
    banner = [
      'Sandbox mode: no config given, so the gateway talks to an embedded store sandbox with demo data.',
      `  API key:   ${mode.apiKey}   (set DEMO_API_KEY to change it)`,
      `  Sandbox:   ${mode.sandbox.url}  (control API: ${mode.sandbox.url}/sandbox/v1/demo)`,
      `  Rate limits: ${
        mode.rateLimits
          ? `${mode.rateLimits.perKey} calls a minute per key, ${mode.rateLimits.perApp} per app`
          : 'off'
      }   (SANDBOX_RATE_LIMIT_PER_KEY / _PER_APP; 0 turns them off)`,
      mode.webhook
        ? `  Webhooks:  every event of app demo is POSTed to ${mode.webhook.url}, signed (Standard Webhooks) with ${mode.webhook.secret}`
        : '  Webhooks:  off (SANDBOX_WEBHOOK_URL=<receiver URL> sends every event of app demo there, signed)',
      `  Support:   http://localhost:${port}/console  (the support page; the demo key has the support scope)`,
      '  Try:',
      `    curl -s localhost:${port}/graphql -H 'authorization: Bearer ${mode.apiKey}' -H 'content-type: application/json' \\`,
      `      -d '{"query":"{ purchase(app: \\"demo\\", productId: \\"gem_100\\", purchaseToken: \\"DEMOINAPP00000000001\\") { __typename ... on Purchase { purchaseState entitlement { active reason } } } }"}'`,
    ];
  }
} catch (error) {
  fail(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
}

/**
 * The grant ledger: PostgreSQL when DATABASE_URL is set (shared by every replica), else the
 * embedded SQLite file in `ledger.dataDir` (one process). Sandbox mode keeps it in memory, opened
 * at start: SQLite opens in milliseconds, so the first redemption pays no cold start.
 */
let ledger: LedgerStorage | undefined;
try {
  if (env.DATABASE_URL)
    ledger = await openLedgerStorage({
      url: env.DATABASE_URL,
      connectTimeoutMs: config.ledger.connectTimeoutMs,
    });
  else ledger = await openLedgerStorage(sandbox ? {} : { dataDir: config.ledger.dataDir });
} catch (error) {
  // The message names the database problem; the URL (which may hold a password) is never printed.
  console.error(`cannot open the grant ledger: ${error instanceof Error ? error.message : 'unknown error'}`);
  process.exit(2);
}
const ledgerKind = env.DATABASE_URL
  ? 'PostgreSQL (DATABASE_URL)'
  : sandbox
    ? 'embedded, in memory (sandbox)'
    : `embedded, ${config.ledger.dataDir}/ledger.sqlite`;

const tracing = await startTracing({
  OTEL_EXPORTER_OTLP_ENDPOINT: env.OTEL_EXPORTER_OTLP_ENDPOINT,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  OTEL_SERVICE_NAME: env.OTEL_SERVICE_NAME,
});
const lifecycle = new Lifecycle();
/**
 * REDIS_URL (e.g. redis://redis:6379): rate-limit budgets live there, shared by every replica
 * using it; RATE_LIMIT_KEY_PREFIX (default `gateway:rl`) names its keys. Unset: in memory.
 */
const redis = env.REDIS_URL
  ? // No offline queue: while Redis is away, limits fall back to memory at once instead of waiting.
    // The client is loaded only when Redis is configured (a few MB a gateway without it never needs).
    new (await import('ioredis')).Redis(env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
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
      ...(env.RATE_LIMIT_KEY_PREFIX && { keyPrefix: env.RATE_LIMIT_KEY_PREFIX }),
    },
  }),
});
const server = createGatewayServer(yoga);
server.once('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE')
    fail(
      `PORT=${port}: port ${port} on ${host} is already in use; fix: stop what listens there, or set PORT to a free port`,
    );
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
    fail(
      `HOST=${host}: cannot listen on it (${error.code}); fix: set HOST to an address of this machine, or unset it`,
    );
  if (error.code === 'EACCES')
    fail(`PORT=${port}: not allowed to listen on port ${port}; fix: use a port above 1023, or unset PORT`);
  fail(`cannot listen on ${host}:${port}: ${error.message}`);
});
server.listen(port, host, () => {
  const bound = (server.address() as AddressInfo).port;
  const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${bound}/graphql`;
  console.log(`Entitlement gateway on ${url}${options.graphiql ? ' (GraphiQL: open it in a browser)' : ''}`);
  console.log(`Grant ledger: ${ledgerKind}`);
  for (const line of banner) console.log(line);
  if (pointSandboxAt) {
    // The sandbox posts its signed payment notifications to this gateway (docs/events.md).
    const local = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    const pns = pointSandboxAt(`http://${local}:${bound}`);
    console.log(`  ONE store PNS: the sandbox posts payment notifications to ${pns}`);
  }
  // Log shippers read JSON: the same facts as one line, besides the human banner above.
  if (env.LOG_FORMAT === 'json')
    console.log(
      JSON.stringify({
        msg: 'gateway started',
        url,
        port: bound,
        host,
        ledger: ledgerKind,
        mode: sandbox ? 'sandbox' : 'config',
        ...(sandboxInfo && { sandbox: sandboxInfo }),
      }),
    );
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
  // A live event stream never finishes on its own: end each one now (its client gets `complete`
  // and resumes on another replica with its last cursor) instead of cutting it at the grace period.
  // graphql-ws sockets are closed with 1001 after their streams' `complete`.
  await yoga.endEventStreams();
  server.closeIdleConnections();
  // A connection turns idle when its last response ends (a finished request, a completed stream);
  // closed then, rather than when the client's keep-alive timer gives up on it.
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await closed;
  clearTimeout(timer);
  clearInterval(sweep);
  // Pools and the ledger close after the last response.
  await yoga.dispose();
  await ledger?.db.close();
  // A checkpoint that fails at close (a full disk, a file made read-only) leaves commits in the WAL
  // only: the main file alone is then no copy of the ledger.
  const file = ledger?.db.fileCondition;
  if (file && file.walBytes() > 0)
    log.warn(
      { file: file.file, walBytes: file.walBytes() },
      'grant ledger closed with commits left in its -wal file: keep it beside the file; back up with npm run ledger:backup, never by copying ledger.sqlite alone',
    );
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
// `on`, not `once`: under `npm start` a signal sent to the process group (Ctrl-C, systemd's stop)
// reaches the gateway twice, directly and forwarded by npm; a second one with no listener would kill
// it mid-shutdown. `shutdown` runs once; SHUTDOWN_GRACE_MS bounds it.
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
