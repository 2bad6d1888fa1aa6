/**
 * Contestants 3 and 4: the gateway (createGateway, no GraphiQL) on node:http, one demo app on the
 * sandbox, with the levers of `GatewayOptions` switched by environment variables:
 *
 *   GATEWAY_JIT=0             graphql-jit off                           (default on, as in createGateway)
 *   GATEWAY_PARSE_CACHE=0     switch Yoga's parse/validate cache off    (default on)
 *   GATEWAY_LEDGER=postgres   grant ledger on BENCH_DATABASE_URL, schema `bench` (dropped at start);
 *                             default: embedded SQLite in a fresh folder under BENCH_TMP, as main.ts
 *                             opens a durable ledger at start
 *
 *   PORT=4100 UPSTREAM=http://127.0.0.1:4099 node dist/bench-build/bench/contestants/gateway.js
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config/load.js';
import { openLedgerStorage } from '../../src/redemption/service.js';
import { sha256Hex } from '../../src/server/api-keys.js';
import { createGateway } from '../../src/server/create-gateway.js';
import { createGatewayServer } from '../../src/server/node-listener.js';
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

async function openLedger() {
  if (process.env.GATEWAY_LEDGER !== 'postgres') {
    return openLedgerStorage({ dataDir: mkdtempSync(join(process.env.BENCH_TMP ?? tmpdir(), 'gw-ledger-')) });
  }
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('GATEWAY_LEDGER=postgres needs BENCH_DATABASE_URL');
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('DROP SCHEMA IF EXISTS bench CASCADE');
  await admin.end();
  return openLedgerStorage({ url, schema: 'bench' });
}

const yoga = createGateway(config, {
  ledger: await openLedger(),
  jit: flag('GATEWAY_JIT', true),
  parseCache: flag('GATEWAY_PARSE_CACHE', true),
});

const server = createGatewayServer(yoga);
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => {
  console.log(`gateway listening on ${port}`);
});
process.once('SIGTERM', () => process.exit(0));
