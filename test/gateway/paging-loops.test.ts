import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/create-gateway.js';
import { type FakeListStore, startFakeListStore } from '../helpers/fake-onestore-lists.js';
import { ERROR_FIELDS } from '../helpers/gateway.js';
import { sleep } from '../helpers/ledger.js';
import {
  documentAnswers,
  ENDPOINT,
  gatewayOver,
  gql,
  type Line,
  LOOP,
  loopError,
  metric,
  NEXT,
} from '../helpers/paging-gateway.js';

/**
 * Issue 24, point 1: the ONE store document's own example answer of getVoidedPurchases (and of
 * getUnconfirmedPurchases) carries `"continuationKey": "continuationKey"`, so a store answering
 * exactly what the document prints repeats its key forever. Replayed byte for byte (the
 * `"voidedPurchaseList "` key with its trailing space included) through a real gateway: every walk
 * ends at the first repeated key with StoreProtocolError naming the endpoint, a metric and a log line;
 * the other market and the other app are still read; the background sync makes one pass per tick.
 */

const SYNC = `mutation ($app: String!) { syncRevocations(app: $app) { __typename
  ... on RevocationSyncReport { ran pages voidedSeen completedUntil
    failed { __typename market code message errorStore: store storeCode retryAfterSeconds } }
  ${ERROR_FIELDS} } }`;

/** The report of a run of app `loop` whose MKT_ONE walk ended at the repeated key (MKT_GLB completed). */
const loopReport = () => {
  const { __typename, ...error } = loopError(ENDPOINT);
  return {
    __typename: 'RevocationSyncReport',
    ran: true,
    completedUntil: null,
    failed: [
      { __typename: 'RevocationSyncMarketError', market: 'MKT_ONE', ...error, retryAfterSeconds: null },
    ],
  };
};

describe('syncRevocations over the document example answer', () => {
  let store: FakeListStore;
  let gateway: Gateway;
  let lines: Line[];
  beforeAll(async () => {
    store = await startFakeListStore(documentAnswers);
    ({ gateway, lines } = gatewayOver(store));
  });
  afterAll(async () => {
    await gateway?.dispose();
    await store?.close();
  });

  it('ends at the repeated key: StoreProtocolError naming the endpoint, 2 list calls, MKT_GLB still read', async () => {
    const data = await gql(gateway, SYNC, { app: LOOP.app });
    expect(data.syncRevocations).toMatchObject(loopReport());
    // The first page (no key) and the one that repeated its key: nothing more.
    expect(store.of(LOOP.clientId, 'MKT_ONE').map((c) => c.continuationKey)).toEqual([
      null,
      'continuationKey',
    ]);
    expect(store.of(LOOP.clientId, 'MKT_GLB')).toHaveLength(1);
    expect(
      await metric(gateway, 'gateway_store_paging_loops_total', `store="onestore",endpoint="${ENDPOINT}"`),
    ).toBe(1);
    expect(lines).toContainEqual({
      level: 'warn',
      obj: expect.objectContaining({ store: 'onestore', endpoint: ENDPOINT, page: 2 }),
      msg: 'the store repeated a continuationKey: walk ended',
    });
    expect(lines).toContainEqual({
      level: 'warn',
      obj: expect.objectContaining({
        app: LOOP.app,
        market: 'MKT_ONE',
        endpoint: ENDPOINT,
        code: 'CONTINUATION_LOOP',
      }),
      msg: 'revocation sync of one market failed; the next run retries',
    });

    // The next run starts the window again (the repeated key is not resumed from): again 2 calls.
    store.calls.length = 0;
    expect((await gql(gateway, SYNC, { app: LOOP.app })).syncRevocations).toMatchObject(loopReport());
    expect(store.of(LOOP.clientId, 'MKT_ONE')).toHaveLength(2);

    // The other app is unaffected.
    expect((await gql(gateway, SYNC, { app: NEXT.app })).syncRevocations).toMatchObject({
      __typename: 'RevocationSyncReport',
      ran: true,
      pages: 1,
      completedUntil: expect.any(String),
    });
  });

  it('the background pass over every app ends, reads MKT_GLB and the next app, and says which failed', async () => {
    store.calls.length = 0;
    const service = await gateway.redemption();
    const results = await service.syncRevocations([LOOP.app, NEXT.app]);
    expect(store.of(LOOP.clientId, 'MKT_ONE')).toHaveLength(2);
    expect(store.of(LOOP.clientId, 'MKT_GLB')).toHaveLength(1);
    expect(store.of(NEXT.clientId, 'MKT_ONE')).toHaveLength(1);
    expect(results.map((r) => [r.app, r.ran, r.completedUntil === null])).toEqual([
      [LOOP.app, true, true],
      [NEXT.app, true, false],
    ]);
  });
});

describe('the background revocation sync over the document example answer', () => {
  let store: FakeListStore;
  afterEach(async () => {
    await store?.close();
  });

  it('makes one pass per tick (at most 2 list calls of the looping market), never two at once', async () => {
    store = await startFakeListStore(documentAnswers);
    const { gateway } = gatewayOver(store, { ledger: { revocationSyncIntervalSeconds: 1 } });
    try {
      await gateway.redemption(); // opens the in-memory ledger, which starts the timers
      const passes = () =>
        store.of(LOOP.clientId, 'MKT_ONE').filter((c) => c.continuationKey === null).length;
      for (let waited = 0; passes() < 3 && waited < 10_000; waited += 50) await sleep(50);
    } finally {
      await gateway.dispose();
    }
    const looping = store.of(LOOP.clientId, 'MKT_ONE');
    const firstPages = looping.filter((c) => c.continuationKey === null).length;
    expect(firstPages).toBeGreaterThanOrEqual(3);
    // Every pass: the first page, then the page that repeats its key; the walk ends there.
    expect(looping.length).toBeLessThanOrEqual(2 * firstPages);
    // MKT_GLB and the next app are read on every pass, in step with the looping market.
    expect(store.of(LOOP.clientId, 'MKT_GLB').length).toBeGreaterThanOrEqual(firstPages - 1);
    expect(store.of(NEXT.clientId, 'MKT_ONE').length).toBeGreaterThanOrEqual(firstPages - 1);
    expect(Math.max(...store.maxInFlight.values())).toBe(1);
    // Disposed: no more calls.
    const total = store.calls.length;
    await sleep(1_200);
    expect(store.calls.length).toBe(total);
  });
});
