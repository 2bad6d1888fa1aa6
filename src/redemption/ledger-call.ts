import { LedgerFault, LedgerUnavailable, ledgerErrorKind } from '../ledger/index.js';

/**
 * A ledger call whose failure says what it is: an outage (LedgerUnavailable, retry later), input
 * the ledger cannot hold (LedgerInputError, unchanged), or anything else (LedgerFault, internal).
 */
export async function ledger<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    switch (ledgerErrorKind(error)) {
      case 'unavailable':
        throw new LedgerUnavailable({ cause: error });
      case 'input':
        throw error;
      case 'internal':
        throw new LedgerFault({ cause: error });
    }
  }
}
