import { afterAll, afterEach, beforeAll } from 'vitest';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { type GatewayHarness, type GatewayHarnessOptions, startGateway } from './gateway.js';
import type { LedgerBackend } from './ledger.js';
import { ledgerFor } from './redeem.js';

/** A gateway and the ledger it writes to. */
export interface LedgerGateway {
  g: GatewayHarness;
  ledger: LedgerStorage;
}

/** The ledger config section of a gateway whose tests run the sweeper and revocation sync themselves. */
export const NO_LEDGER_LOOPS = { sweepIntervalSeconds: 0, revocationSyncIntervalSeconds: 0 };

/** The harness options of a gateway on a given ledger: all but `gatewayOptions`. */
export type LedgerGatewayOptions = Omit<GatewayHarnessOptions, 'gatewayOptions'>;

/**
 * For a describe (or a file): a gateway on `backend`'s ledger with `options` (or what the function
 * answers when the gateway starts, for options made by an earlier beforeAll), started before the
 * first test and handed to `ready`; the sandbox's faults cleared after each test; the gateway, its
 * ledger and the backend's schema closed after the last.
 */
export function gatewayOnLedger(
  backend: LedgerBackend,
  options: LedgerGatewayOptions | (() => LedgerGatewayOptions),
  ready: (started: LedgerGateway) => void | Promise<void>,
): void {
  let started: Partial<LedgerGateway> = {};
  beforeAll(async () => {
    const ledger = await ledgerFor(backend);
    started = { ledger };
    const harness = typeof options === 'function' ? options() : options;
    const g = await startGateway({ ...harness, gatewayOptions: { ledger } });
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
