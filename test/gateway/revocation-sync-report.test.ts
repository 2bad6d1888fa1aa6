import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/server/create-gateway.js';
import {
  documentExample,
  type FakeListStore,
  type ListCall,
  listPage,
  startFakeListStore,
} from '../helpers/fake-onestore-lists.js';
import { ERROR_FIELDS } from '../helpers/gateway.js';
import { ENDPOINT, gatewayOver, gql, LOOP, metric, NEXT } from '../helpers/paging-gateway.js';

/**
 * `syncRevocations` answers every market's failure, not the first one's alone: app `loop` sells in
 * MKT_ONE, whose store repeats its key (the document's example answer), and in MKT_GLB, whose store
 * answers a key the client would not send back. And how far each market's voids are applied is a
 * metric per app and market, which the alert GatewayRevocationSyncBehind reads.
 */

const SYNC = `mutation ($app: String!) { syncRevocations(app: $app) { __typename
  ... on RevocationSyncReport { ran completedUntil
    failed { __typename market code message errorStore: store storeCode retryAfterSeconds } }
  ${ERROR_FIELDS} } }`;

const APPLIED = 'gateway_revocation_sync_applied_until_seconds';

function answering(call: ListCall) {
  if (call.clientId !== LOOP.clientId) return listPage(call.list, null);
  return call.market === 'MKT_ONE' ? documentExample(call.list) : listPage(call.list, 'not a key');
}

describe('syncRevocations of an app whose two markets both fail', () => {
  let store: FakeListStore;
  let gateway: Gateway;
  beforeAll(async () => {
    store = await startFakeListStore(answering);
    ({ gateway } = gatewayOver(store));
  });
  afterAll(async () => {
    await gateway?.dispose();
    await store?.close();
  });

  it('lists both failures, each with its market, code and store code', async () => {
    const answer = (await gql(gateway, SYNC, { app: LOOP.app })).syncRevocations;
    const failure = (market: string, storeCode: string) => ({
      __typename: 'RevocationSyncMarketError',
      market,
      code: 'STORE_PROTOCOL_ERROR',
      message: `The store answered ${ENDPOINT} outside its documented protocol.`,
      errorStore: 'ONESTORE',
      storeCode,
      retryAfterSeconds: null,
    });
    expect(answer).toEqual({
      __typename: 'RevocationSyncReport',
      ran: true,
      completedUntil: null,
      failed: [failure('MKT_ONE', 'CONTINUATION_LOOP'), failure('MKT_GLB', 'CONTINUATION_KEY_REFUSED')],
    });
    // Neither bad key is resumed from: each market's next run reads its window again.
    expect(store.of(LOOP.clientId, 'MKT_GLB').map((c) => c.continuationKey)).toEqual([null]);
  });

  it('the metric says how far each market is applied: 0 for markets that never completed', async () => {
    expect(await metric(gateway, APPLIED, `app="${LOOP.app}",market="MKT_ONE"`)).toBe(0);
    expect(await metric(gateway, APPLIED, `app="${LOOP.app}",market="MKT_GLB"`)).toBe(0);
    const next = (await gql(gateway, SYNC, { app: NEXT.app })).syncRevocations as { completedUntil: string };
    expect(next).toMatchObject({ __typename: 'RevocationSyncReport', failed: [] });
    expect(await metric(gateway, APPLIED, `app="${NEXT.app}",market="MKT_ONE"`)).toBe(
      Date.parse(next.completedUntil) / 1000,
    );
  });

  it('a market that fails after it once completed keeps the time it was applied up to', async () => {
    const before = await metric(gateway, APPLIED, `app="${NEXT.app}",market="MKT_ONE"`);
    store.answering = (call) =>
      call.clientId === NEXT.clientId ? documentExample(call.list) : answering(call);
    const answer = (await gql(gateway, SYNC, { app: NEXT.app })).syncRevocations;
    expect(answer).toMatchObject({ completedUntil: null, failed: [{ market: 'MKT_ONE' }] });
    expect(await metric(gateway, APPLIED, `app="${NEXT.app}",market="MKT_ONE"`)).toBe(before);
  });
});
