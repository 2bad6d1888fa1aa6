import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  DeadlineExceededError,
  UpstreamProtocolError,
  UpstreamUnavailableError,
  UpstreamUncertainOutcomeError,
} from '../../src/stores/errors.js';
import { HttpClient } from '../../src/stores/http/http-client.js';
import {
  decodeJson,
  isJsonMediaType,
  MAX_MEDIA_TYPES,
  rememberedMediaTypes,
} from '../../src/stores/http/json.js';
import { backoffDelay, parseRetryAfter, resolveRetryOptions } from '../../src/stores/http/retry.js';
import { purchaseDetailsSchema } from '../../src/stores/onestore/schemas.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { eachStoreTest } from '../helpers/store-hooks.js';
import {
  type CreatedPurchase,
  FAST_RETRY,
  failure,
  newOneStoreApp,
  newPurchase,
  type OneStoreApp,
  oneStoreClient,
} from '../helpers/stores.js';

const h = useSandbox();
let app: OneStoreApp;
let purchase: CreatedPurchase;
eachStoreTest(
  h,
  { clearStats: true, clearFaults: true },
  async () => {
    const created = await newOneStoreApp(h);
    return { app: created, purchase: await newPurchase(h, created) };
  },
  (t) => {
    ({ app, purchase } = t);
  },
);

const fault = (spec: Record<string, unknown>) => h.control('POST', '/faults', spec);
const ctx = { store: 'onestore', endpoint: 'test.decode' } as const;

/** A port on which nothing listens: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('response decoding', () => {
  it('an HTML page with status 200 is a protocol error', async () => {
    const client = oneStoreClient(h, app);
    await client.getAccessToken();
    await fault({ endpoint: 'onestore.getPurchaseDetails', status: 200, count: 1 });
    const err = await failure(client.getPurchaseDetails(purchase));
    expect(err).toBeInstanceOf(UpstreamProtocolError);
    expect(err).toMatchObject({ code: 'NOT_JSON', httpStatus: 200 });
    await client.close();
  });

  it('a JSON answer of the wrong shape is a protocol error naming the fields, not the values', async () => {
    const http = new HttpClient({ store: 'onestore' });
    const response = await http.execute({
      endpoint: 'test.clock',
      method: 'GET',
      url: new URL('/sandbox/v1/clock', h.url),
      headers: {},
      safeToRetry: true,
    });
    const err = (() => {
      try {
        decodeJson(ctx, response, purchaseDetailsSchema);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UpstreamProtocolError);
    expect(err).toMatchObject({ code: 'UNEXPECTED_SHAPE' });
    expect((err as Error).message).toContain('purchaseId');
    await http.close();
  });

  it('empty and malformed bodies are protocol errors', () => {
    const base = { status: 200, headers: { 'content-type': 'application/json' } };
    expect(() => decodeJson(ctx, { ...base, body: Buffer.alloc(0) }, purchaseDetailsSchema)).toThrow(/empty/);
    expect(() => decodeJson(ctx, { ...base, body: Buffer.from('{"a":') }, purchaseDetailsSchema)).toThrow(
      /not valid JSON/,
    );
  });

  it('Content-Type answers a store chooses are remembered up to a bound, and answered alike past it', () => {
    for (let i = 0; i < MAX_MEDIA_TYPES * 3; i += 1) {
      expect(isJsonMediaType(`application/vnd.s${i}+JSON ; charset=utf-8`)).toBe(true);
      expect(isJsonMediaType(`text/html; v=${i}`)).toBe(false);
      expect(isJsonMediaType(` Application/Json;q=${i}`)).toBe(true);
    }
    expect(rememberedMediaTypes()).toBe(MAX_MEDIA_TYPES);
    expect(isJsonMediaType('application/jsonp')).toBe(false);
    expect(isJsonMediaType(undefined)).toBe(true);
  });

  it('a body over the size cap is refused and not retried', async () => {
    // The token answer (~140 bytes) fits; the details with a 200-character payload (~370) do not.
    const client = oneStoreClient(h, app, { http: { maxResponseBytes: 300, retry: FAST_RETRY } });
    await client.getAccessToken();
    purchase = await newPurchase(h, app, { developerPayload: 'p'.repeat(200) });
    const err = await failure(client.getPurchaseDetails(purchase));
    expect(err).toBeInstanceOf(UpstreamProtocolError);
    expect(err).toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
    expect(await h.count('onestore.getPurchaseDetails')).toBe(1);
    await client.close();
  });
});

describe('deadlines and cancellation', () => {
  /** A client with a 100 ms deadline and its token, whose next call of `endpoint` is answered 1 s late. */
  const lateAnswerClient = async (endpoint: string) => {
    const client = oneStoreClient(h, app, { http: { deadlineMs: 100, retry: FAST_RETRY } });
    await client.getAccessToken();
    await fault({ endpoint, latencyMs: 1000, count: 1 });
    return client;
  };

  it('a read past its deadline is DeadlineExceeded', async () => {
    const client = await lateAnswerClient('onestore.getPurchaseDetails');
    const err = await failure(client.getPurchaseDetails(purchase));
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(err).toMatchObject({ code: 'DEADLINE_EXCEEDED', retryable: true });
    await client.close();
  });

  it('a state change past its deadline is an uncertain outcome', async () => {
    const client = await lateAnswerClient('onestore.consumePurchase');
    const err = await failure(client.consumePurchase(purchase));
    expect(err).toBeInstanceOf(UpstreamUncertainOutcomeError);
    expect(err).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    await client.close();
  });

  it("the caller's AbortSignal is honoured, and an already aborted call sends nothing", async () => {
    const client = oneStoreClient(h, app);
    await client.getAccessToken();
    await h.control('DELETE', '/stats');
    const err = await failure(client.getPurchaseDetails(purchase, { signal: AbortSignal.abort() }));
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(err).toMatchObject({ code: 'ABORTED' });
    expect((await h.stats()).total).toBe(0);
    await client.close();
  });

  it('a headers timeout on a read is retried, then reported unavailable', async () => {
    // undici checks header timeouts on a coarse (about 1 s) timer, hence the long injected latency.
    const client = oneStoreClient(h, app, {
      http: { headersTimeoutMs: 50, retry: { ...FAST_RETRY, maxAttempts: 2 } },
    });
    await client.getAccessToken();
    await fault({ endpoint: 'onestore.getPurchaseDetails', latencyMs: 5000 });
    const err = await failure(client.getPurchaseDetails(purchase));
    expect(err).toBeInstanceOf(UpstreamUnavailableError);
    expect(err).toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    await client.close();
  });
});

describe('connection failures', () => {
  it('a refused connection means the write never left: it is retried and ends unavailable, not uncertain', async () => {
    const port = await closedPort();
    const http = new HttpClient({ store: 'onestore', retry: FAST_RETRY });
    const err = await failure(
      http.execute({
        endpoint: 'onestore.consumePurchase',
        method: 'POST',
        url: new URL(`http://127.0.0.1:${port}/v7/apps/a/purchases/inapp/products/p/T/consume`),
        headers: { 'content-type': 'application/json' },
        body: '{}',
        safeToRetry: false,
      }),
    );
    expect(err).toBeInstanceOf(UpstreamUnavailableError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', retryable: true });
    await http.close();
  });
});

describe('retry policy', () => {
  it('the retry budget stops retries once spent', async () => {
    const client = oneStoreClient(h, app, {
      http: { retry: { ...FAST_RETRY, budgetCapacity: 2, budgetRatio: 0 } },
    });
    await client.getAccessToken();
    await fault({ endpoint: 'onestore.getPurchaseDetails', status: 502 });
    expect(await failure(client.getPurchaseDetails(purchase))).toMatchObject({
      kind: 'StoreUnavailableError',
    });
    expect(await h.count('onestore.getPurchaseDetails')).toBe(3);
    expect(await failure(client.getPurchaseDetails(purchase))).toMatchObject({ code: 'HTTP_502' });
    expect(await h.count('onestore.getPurchaseDetails')).toBe(4);
    await client.close();
  });

  it('backoff is jittered, exponential and capped', () => {
    const top = resolveRetryOptions({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, top))).toEqual([99, 199, 399, 799, 999, 999]);
    const bottom = resolveRetryOptions({ random: () => 0 });
    expect(backoffDelay(3, bottom)).toBe(0);
  });

  it('Retry-After is read as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(new Date(61_000).toUTCString(), 1_000)).toBe(60_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
