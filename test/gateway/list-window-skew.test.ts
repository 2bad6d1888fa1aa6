import { describe, expect, it } from 'vitest';
import { monthBefore } from '../../src/graphql/validate.js';
import { APP } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';

/**
 * Issue 23, point 5 (every input checked before a store call) without refusing valid input: a game
 * backend asks for "everything up to now" or "the whole month" from its own clock. A clock a few
 * seconds ahead of the gateway's, or the time a request spends in transit, must not turn such a window
 * into INVALID_INPUT: within CLOCK_SKEW_TOLERANCE_MS the gateway holds the window to the store's rules
 * (`until` to now, `since` to the month's edge) instead of refusing it. The edges of every list
 * argument: list-boundaries.test.ts.
 */

const LIST = (field: string, window: string) =>
  `{ ${field}(app: "${APP}", first: 1, ${window}) { __typename ... on InvalidInputError { field message } } }`;

const g = useGateway();

describe.each([
  ['voidedPurchases', 'VoidedPurchaseConnection'],
  ['unconfirmedPurchases', 'PurchaseConnection'],
])('%s: a window as a backend computes it', (field, connection) => {
  it('until = the backend clock, 2 s ahead of the gateway', async () => {
    const until = new Date(g.now() + 2_000).toISOString();
    const answer = await g.gql(LIST(field, `until: "${until}"`));
    expect(answer.data[field]).toMatchObject({ __typename: connection });
  });

  it('since = one month back, computed by the backend 1 s before the gateway reads it', async () => {
    const since = monthBefore(new Date(g.now() - 1_000)).toISOString();
    const answer = await g.gql(LIST(field, `since: "${since}"`));
    expect(answer.data[field]).toMatchObject({ __typename: connection });
  });
});

describe('revokedGrants (a ledger read: no store is asked)', () => {
  it('since = the poller clock, 2 s ahead of the gateway: an empty page, not INVALID_INPUT', async () => {
    const since = new Date(g.now() + 2_000).toISOString();
    const answer = await g.gql(
      `{ revokedGrants(app: "${APP}", since: "${since}") { __typename ... on InvalidInputError { field message } } }`,
    );
    expect(answer.data.revokedGrants).toMatchObject({ __typename: 'GrantConnection' });
  });
});
