import { afterAll, afterEach, beforeAll } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { type GatewayHarness, startGateway } from './gateway.js';
import type { LedgerBackend } from './ledger.js';
import { ledgerFor } from './redeem.js';

/** A gateway and the ledger it writes to. */
export interface LedgerGateway {
  g: GatewayHarness;
  ledger: LedgerStorage;
}

/** The ledger config section of a gateway whose tests run the sweeper and revocation sync themselves. */
export const NO_LEDGER_LOOPS = { sweepIntervalSeconds: 0, revocationSyncIntervalSeconds: 0 };

/**
 * For a describe (or a file): a gateway on `backend`'s ledger with the top-level `config`, started
 * before the first test and handed to `ready`; the sandbox's faults cleared after each test; the
 * gateway, its ledger and the backend's schema closed after the last.
 */
export function gatewayOnLedger(
  backend: LedgerBackend,
  config: Record<string, unknown>,
  ready: (started: LedgerGateway) => void | Promise<void>,
): void {
  let started: Partial<LedgerGateway> = {};
  beforeAll(async () => {
    const ledger = await ledgerFor(backend);
    started = { ledger };
    const g = await startGateway({ gatewayOptions: { ledger }, config });
    started = { g, ledger };
    await ready({ g, ledger });
  });
  afterEach(async () => {
    await started.g?.control('DELETE', '/faults');
  });
  afterAll(async () => {
    await started.g?.close();
    await started.ledger?.db.close();
    await backend.cleanup();
  });
}
