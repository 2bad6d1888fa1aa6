import { describe, expect, it } from 'vitest';
import { openLedgerStorage } from '../../src/redemption/service.js';
import { APP, startGateway } from '../helpers/gateway.js';

/**
 * The voided list takes a startTime "at most one month back" (document 002), and the sandbox reads a
 * month as the calendar does. A first sync (no checkpoint) reached back 29 days, which early in March
 * is further than one month (28 days back from 1 March is 1 February): every first run, and every run
 * after an outage of a month, failed with the store's InvalidRequest. Each row is a sandbox time
 * whose month back is shortest.
 */
const SYNC = `mutation { syncRevocations(app: "${APP}") { __typename
  ... on RevocationSyncReport { ran failed { market code storeCode } } } }`;

describe('the revocation sync’s first window fits in one month back, whatever the month', () => {
  it.each([
    '2027-03-01T00:00:00.000Z',
    '2027-03-01T12:00:00.000Z',
    '2028-03-01T12:00:00.000Z',
    '2027-05-01T12:00:00.000Z',
  ])('a first run at %s reads the voided list without a refusal', async (at) => {
    // A ledger of its own: no checkpoint, so the window starts as far back as the sync reaches.
    const ledger = await openLedgerStorage({});
    const g = await startGateway({ gatewayOptions: { ledger } });
    try {
      g.h.sandbox.clock.set(Date.parse(at));
      const answer = await g.gql(SYNC);
      expect(answer.data.syncRevocations).toEqual({
        __typename: 'RevocationSyncReport',
        ran: true,
        failed: [],
      });
    } finally {
      await g.close();
      await ledger.db.close();
    }
  });
});
