import { createRequire } from 'node:module';
import type * as Undici from 'undici';

/**
 * The parts of undici the gateway uses (`Pool` for the stores, `Agent` for webhooks), loaded
 * without undici's entry point: `import 'undici'` also loads fetch, WebSocket, EventSource, the
 * cache and mock agents, ~3 MB of live heap (code V8 keeps for the process's lifetime) that the
 * gateway never runs, and V8 lets the old generation grow to a multiple of the live heap under
 * load. Same files as the entry point loads (one module instance, same classes and errors); the
 * request methods (`pool.request`) are mixed into `Dispatcher.prototype` here as the entry point
 * does. undici 7 declares no `exports` map, so its `lib/` files resolve; the version is pinned, and
 * an upgrade that moves them fails every test that starts a gateway.
 */
const require = createRequire(import.meta.url);
const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js') as object);

export const Pool = require('undici/lib/dispatcher/pool.js') as typeof Undici.Pool;
export type Pool = Undici.Pool;
export const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
export type Agent = Undici.Agent;
