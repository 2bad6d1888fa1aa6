/**
 * Contestants 3 and 4: the gateway (createGateway, no GraphiQL) on node:http, one demo app on the
 * sandbox, with the levers of `GatewayOptions` switched by environment variables:
 *
 *   GATEWAY_JIT=0             graphql-jit off                           (default on, as in createGateway)
 *   GATEWAY_PARSE_CACHE=0     switch Yoga's parse/validate cache off    (default on)
 *
 *   PORT=4100 UPSTREAM=http://127.0.0.1:4099 node dist/bench-build/bench/contestants/gateway.js
 */
import { createServer } from 'node:http';
import { resolveConfig } from '../../src/config/load.js';
import { sha256Hex } from '../../src/server/api-keys.js';
import { createGateway } from '../../src/server/create-gateway.js';
import { DEMO } from '../lib/scenarios.js';

const port = Number(process.env.PORT ?? 4100);
const upstream = process.env.UPSTREAM ?? 'http://127.0.0.1:4099';
const flag = (name: string, fallback: boolean) => {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value === '1' || value === 'true';
};

const config = resolveConfig(
  {
    apps: {
      [DEMO.app]: {
        onestore: {
          clientId: DEMO.clientId,
          clientSecret: { env: 'BENCH_CLIENT_SECRET' },
          baseUrl: upstream,
        },
        nhncloud: { appSeq: DEMO.appSeq, baseUrl: upstream },
      },
    },
    apiKeys: [{ name: 'bench', sha256: sha256Hex(DEMO.apiKey), apps: [DEMO.app], scopes: ['read', 'write'] }],
    // One key sends the whole load: the default per-key budget would measure the limiter, not the gateway.
    rateLimits: { enabled: false },
  },
  { BENCH_CLIENT_SECRET: DEMO.clientSecret },
);

const yoga = createGateway(config, {
  jit: flag('GATEWAY_JIT', true),
  parseCache: flag('GATEWAY_PARSE_CACHE', true),
});

const server = createServer(yoga);
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => console.log(`gateway listening on ${port}`));
process.once('SIGTERM', () => process.exit(0));
