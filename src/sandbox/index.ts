import type { Server } from 'node:http';
import type { SandboxClock } from './clock.js';
import { SandboxCore, type SandboxOptions, type SandboxStats } from './core.js';
import { loadDemo } from './demo.js';
import { listen } from './server.js';

export type { SandboxOptions, SandboxStats } from './core.js';
export { DEMO_GAMEBASE, DEMO_NHN, DEMO_ONESTORE } from './demo.js';
export type { FaultPhase, FaultSpec } from './faults.js';
export { DEMO_PNS_PUBLIC_KEY } from './onestore/pns-demo-key.js';
export type { TokenReissue } from './onestore/tokens.js';
export type { StatsSnapshot } from './stats.js';

/** A running sandbox. Tests and the gateway use it in process; others use its HTTP control API. */
export interface Sandbox {
  /** Base URL of every store and of the control API, e.g. http://127.0.0.1:4010. */
  readonly url: string;
  readonly port: number;
  readonly clock: SandboxClock;
  /** The state behind the HTTP API, for in-process scripting. */
  readonly core: SandboxCore;
  /** Store requests counted, and the ONE store payment notifications sent (`notifications`). */
  stats(): SandboxStats;
  /** Empty store, wall-clock time, no faults, zero counters; with demo data when `demo` is true. */
  reset(options?: { demo?: boolean }): void;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const core = new SandboxCore(options);
  if (options.demo) loadDemo(core);
  const { server, url, port } = await listen(core, options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    url,
    port,
    clock: core.clock,
    core,
    stats: () => core.statsSnapshot(),
    reset: ({ demo = false } = {}) => {
      core.reset();
      if (demo) loadDemo(core);
    },
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
