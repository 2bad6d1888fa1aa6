import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { ConfigError, type GatewayConfig, loadConfigFile } from './config/load.js';
import type { Sandbox } from './sandbox/index.js';
import { createGateway, type GatewayOptions } from './server/create-gateway.js';
import { startSandboxMode } from './server/sandbox-mode.js';

/** Default port of the gateway; PORT overrides it. */
const DEFAULT_PORT = 4000;
/** How long in-flight requests may finish after SIGTERM, ms. */
const SHUTDOWN_GRACE_MS = 10_000;

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

const yoga = createGateway(config, options);
const server = createServer(yoga);
server.listen(port, host, () => {
  console.log(
    `Entitlement gateway on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/graphql${options.graphiql ? ' (GraphiQL: open it in a browser)' : ''}`,
  );
  for (const line of banner) console.log(line);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing in-flight requests (up to ${SHUTDOWN_GRACE_MS / 1000} s)`);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await closed;
  clearTimeout(timer);
  await yoga.dispose();
  await sandbox?.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
