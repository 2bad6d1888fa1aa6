import type { Plugin } from 'graphql-yoga';

/** Shared with `main.ts`: set `draining` on SIGTERM so `/readyz` turns false before the server stops. */
export class Lifecycle {
  draining = false;
}

export interface HealthSources {
  lifecycle: Lifecycle;
  /** State of every circuit breaker used so far, by endpoint group. */
  breakers: () => Record<string, string>;
  /** What the grant ledger is: `postgres`, `sqlite`, or not opened yet. */
  ledger: () => string;
  /** Why the embedded ledger cannot write now, or null. Default: never a problem. */
  ledgerWriteProblem?: () => string | null;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });

/**
 * `/healthz`: the process answers. `/readyz`: config loaded (it is, or the gateway would not
 * exist), not draining, and not every breaker open. Neither touches a store or the database, so
 * both stay cheap enough for a probe every second. The ledger is reported, not required: a shared
 * PostgreSQL going down must not take every replica out of the load balancer, since lookups and
 * the other mutations still work (redemptions answer LedgerUnavailableError). The embedded (SQLite)
 * ledger is this process's alone: while it cannot write (read-only file, full disk, I/O error: a
 * probe write retries every 2 s), this replica is not ready, so traffic goes where grants can be written.
 */
export function healthPlugin(sources: HealthSources): Plugin {
  return {
    onRequest({ url, endResponse }) {
      if (url.pathname === '/healthz') return endResponse(json(200, { status: 'ok' }));
      if (url.pathname !== '/readyz') return;
      const breakers = sources.breakers();
      const states = Object.values(breakers);
      const allOpen = states.length > 0 && states.every((s) => s === 'open');
      const ledgerWrite = sources.ledgerWriteProblem?.() ?? null;
      const ready = !sources.lifecycle.draining && !allOpen && ledgerWrite === null;
      endResponse(
        json(ready ? 200 : 503, {
          status: ready ? 'ready' : 'not ready',
          checks: {
            config: 'loaded',
            ledger: sources.ledger(),
            ledgerWrite: ledgerWrite ?? 'ok',
            draining: sources.lifecycle.draining,
            breakers,
          },
        }),
      );
    },
  };
}
