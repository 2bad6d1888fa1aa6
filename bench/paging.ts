/**
 * Issue 24, point 1, measured: the ONE store document's example answer of getVoidedPurchases
 * (`"continuationKey": "continuationKey"`, byte for byte) served by a fake store, replayed through a
 * gateway in process. Not a test: it prints figures.
 *
 *   npm run bench:paging
 *
 * Prints the wall time and list calls of `syncRevocations` on the looping app (the median and the
 * worst of BENCH_RUNS, default 20), the list calls of the background sync over BENCH_TICKS ticks of
 * 1 s (default 5) and the most walks of one market in flight, and the requests a Relay client makes
 * following `voidedPurchases` until it ends. The fake store is the tests' (test/helpers), so the
 * figures are of the same answers the tests replay.
 */
import { type FakeListStore, startFakeListStore } from '../test/helpers/fake-onestore-lists.js';
import { documentAnswers, gatewayOver, gql, LOOP, NEXT } from '../test/helpers/paging-gateway.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TICKS = Number(process.env.BENCH_TICKS ?? 5);

const SYNC = `mutation ($app: String!) { syncRevocations(app: $app) { __typename
  ... on RevocationSyncReport { completedUntil failed { market code storeCode } }
  ... on Error { code } ... on StoreProtocolError { storeCode message } } }`;
const VOIDED = `query ($app: String!, $after: String) { voidedPurchases(app: $app, after: $after) { __typename
  ... on VoidedPurchaseConnection { pageInfo { hasNextPage endCursor } } ... on Error { code } } }`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const listCalls = (store: FakeListStore, market: string) => store.of(LOOP.clientId, market).length;

async function mutation(): Promise<void> {
  const store = await startFakeListStore(documentAnswers);
  const { gateway } = gatewayOver(store, { requestDeadlineMs: 15_000, upstreamDeadlineMs: 10_000 });
  try {
    await gateway.redemption();
    const times: number[] = [];
    const calls: number[] = [];
    let answer: unknown;
    for (let i = 0; i < RUNS; i++) {
      store.calls.length = 0;
      const started = performance.now();
      answer = (await gql(gateway, SYNC, { app: LOOP.app })).syncRevocations;
      times.push(performance.now() - started);
      calls.push(listCalls(store, 'MKT_ONE'));
    }
    times.sort((a, b) => a - b);
    console.log(`syncRevocations(${LOOP.app}) x${RUNS}: ${JSON.stringify(answer)}`);
    console.log(
      `  wall ms: median ${times[Math.floor(RUNS / 2)]?.toFixed(1)}, worst ${times.at(-1)?.toFixed(1)}; ` +
        `MKT_ONE list calls per run: max ${Math.max(...calls)}, MKT_GLB read: ${listCalls(store, 'MKT_GLB')}`,
    );
  } finally {
    await gateway.dispose();
    await store.close();
  }
}

async function background(): Promise<void> {
  const store = await startFakeListStore(documentAnswers);
  const { gateway } = gatewayOver(store, { ledger: { revocationSyncIntervalSeconds: 1 } });
  try {
    await gateway.redemption();
    await sleep(TICKS * 1_000 + 500);
  } finally {
    await gateway.dispose();
  }
  const passes = store.of(LOOP.clientId, 'MKT_ONE').filter((c) => c.continuationKey === null).length;
  console.log(
    `background sync, ${TICKS} ticks of 1 s: ${passes} passes; list calls: MKT_ONE ${listCalls(store, 'MKT_ONE')}, ` +
      `MKT_GLB ${listCalls(store, 'MKT_GLB')}, next app ${store.of(NEXT.clientId, 'MKT_ONE').length}; ` +
      `most walks of one market in flight: ${Math.max(...store.maxInFlight.values())}`,
  );
  await store.close();
}

async function relay(): Promise<void> {
  const store = await startFakeListStore(documentAnswers);
  const { gateway } = gatewayOver(store);
  try {
    let after: string | null = null;
    let requests = 0;
    let last = '';
    for (; requests < 1_000; ) {
      requests++;
      const page = (await gql(gateway, VOIDED, { app: LOOP.app, after })).voidedPurchases as {
        __typename: string;
        pageInfo?: { hasNextPage: boolean; endCursor: string | null };
      };
      last = page.__typename;
      if (!page.pageInfo?.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    console.log(
      `Relay client following voidedPurchases: ${requests} requests, ended with ${last}; list calls ${listCalls(store, 'MKT_ONE')}`,
    );
  } finally {
    await gateway.dispose();
    await store.close();
  }
}

await mutation();
await background();
await relay();
