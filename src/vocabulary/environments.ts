// Imports nothing: every layer names a purchase's environment with these words (the ledger's column,
// the config's webhook filter, the GraphQL enum).

/**
 * Where a purchase was paid: `SANDBOX` (a store's test environment or a test purchase: no money moved)
 * or `PRODUCTION` (real revenue). Each grant and event carries one (docs/entitlements.md, "Environment").
 */
export const ENVIRONMENTS = ['SANDBOX', 'PRODUCTION'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** A config's lowercase store environment (`sandbox` / `production`) as the ledger's word. */
export function environmentOf(configured: 'sandbox' | 'production'): Environment {
  return configured === 'sandbox' ? 'SANDBOX' : 'PRODUCTION';
}
