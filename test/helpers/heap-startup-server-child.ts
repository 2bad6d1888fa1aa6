/**
 * Run as its own process by test/server/heap-tuning.test.ts: a node:http server with the compact
 * start-up, asked for /healthz and then /graphql; prints whether start-up is still compact after each.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  applyHeapTuning,
  endHeapStartupOnFirstRequest,
  heapStartupCompact,
} from '../../src/server/heap-tuning.js';

applyHeapTuning({ oldGenerationGrowthPercent: 0, compactStartup: true });
const server = createServer((_request, response) => response.end('ok'));
endHeapStartupOnFirstRequest(server);
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const states: Record<string, boolean> = { atListen: heapStartupCompact() };
await (await fetch(`${base}/healthz`)).text();
states.afterHealthz = heapStartupCompact();
await (await fetch(`${base}/graphql`, { method: 'POST', body: '{}' })).text();
states.afterGraphql = heapStartupCompact();
console.log(JSON.stringify(states));
server.close();
