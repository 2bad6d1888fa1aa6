import { afterAll, afterEach, beforeAll } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { type GatewayHarness, type GatewayHarnessOptions, startGateway } from './gateway.js';
import type { LedgerBackend } from './ledger.js';
import { ledgerFor } from './redeem.js';

/**
 * The set-up the redemption test files repeated: a gateway over its own ledger on one backend,
 * closed with the ledger and the backend's schema after the tests.
 */

/**
 * Config of the gateways that show a claim expiring: a 1 s lease (the upstream deadline must be
 * shorter), no wait on a claim in progress, no sweeper timer (the tests sweep themselves).
 */
export const SHORT_LEASE = {
  upstreamDeadlineMs: 800,
  ledger: { leaseSeconds: 1, inProgressWaitMs: 0, sweepIntervalSeconds: 0 },
};

export interface LedgerGateway {
  g: GatewayHarness;
  ledger: LedgerStorage;
}

export interface LedgerGatewayHooks {
  /** Options of the gateway; `gatewayOptions.ledger` is always the backend's ledger. Default: none. */
  gateway?: GatewayHarnessOptions;
  /** After each test, remove the sandbox faults it injected. Default false. */
  clearFaults?: boolean;
  /** Time in ms for the start (ledger, gateway and `ready`). Default: vitest's hook timeout. */
  startTimeoutMs?: number;
  /** Time in ms for the close. Default: vitest's hook timeout. */
  closeTimeoutMs?: number;
}

/**
 * Registers the hooks of the enclosing file or `describe`. `ready` receives the gateway and its
 * ledger once both run, before the first test (and may prepare more, e.g. an NHN item).
 */
export function useLedgerGateway(
  backend: LedgerBackend,
  hooks: LedgerGatewayHooks,
  ready: (started: LedgerGateway) => void | Promise<void>,
): void {
  let g: GatewayHarness | undefined;
  let ledger: LedgerStorage | undefined;
  beforeAll(async () => {
    ledger = await ledgerFor(backend);
    g = await startGateway({
      ...hooks.gateway,
      gatewayOptions: { ...hooks.gateway?.gatewayOptions, ledger },
    });
    await ready({ g, ledger });
  }, hooks.startTimeoutMs);
  if (hooks.clearFaults === true) {
    afterEach(async () => {
      await g?.control('DELETE', '/faults');
    });
  }
  afterAll(async () => {
    await g?.close();
    await ledger?.db.close();
    await backend.cleanup();
  }, hooks.closeTimeoutMs);
}

/** The statuses of the grants of one purchase of one store, read straight from the database. */
export async function grantStatuses(
  ledger: LedgerStorage,
  purchaseKey: string,
  store: string,
): Promise<string[]> {
  const rows = await ledger.db.query<{ status: string }>(
    'SELECT status FROM grants WHERE purchase_key = $1 AND store = $2',
    [purchaseKey, store],
  );
  return rows.map((r) => r.status);
}
