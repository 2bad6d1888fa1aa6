import { describe, expect, it } from 'vitest';
import type { HttpAnswer } from '../helpers/sandbox.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';
import { arr, expectNhn, obj } from './helpers.js';

const h = useSandbox({ reset: true });

const JSON_TYPE = { 'content-type': 'application/json' };

function post(path: string, body: unknown, headers: Record<string, string> = JSON_TYPE): Promise<HttpAnswer> {
  return h.http('POST', path, { headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

interface Setup {
  appSeq: string;
  itemSeq: number;
}

async function setup(appSeq = '1000272'): Promise<Setup> {
  await h.control('POST', '/nhncloud/apps', {
    appSeq,
    appName: 'Test game',
    marketAppId: 'com.example.test',
  });
  const item = await h.control('POST', '/nhncloud/items', {
    appSeq,
    itemName: '가스',
    marketItemId: 'gas',
    marketId: 'GG',
  });
  if (typeof item.itemSeq !== 'number') throw new Error('no itemSeq');
  return { appSeq, itemSeq: item.itemSeq };
}

async function pay(
  s: Setup,
  userKey = 'tester',
  extra: Record<string, unknown> = {},
): Promise<{ paymentSeq: string; purchaseToken: string }> {
  const p = await h.control('POST', '/nhncloud/payments', {
    appSeq: s.appSeq,
    itemSeq: s.itemSeq,
    userKey,
    price: '1000',
    currency: 'KRW',
    ...extra,
  });
  if (typeof p.paymentSeq !== 'string' || typeof p.purchaseToken !== 'string') throw new Error('bad payment');
  return { paymentSeq: p.paymentSeq, purchaseToken: p.purchaseToken };
}

const consumePath = (paymentSeq: string, itemSeq: number | string) =>
  `/inapp/v3/consume/${paymentSeq}/items/${itemSeq}`;

describe('Payment Consume API', () => {
  it("consumes the document's example payment and answers its example response", async () => {
    const { nhn } = h.sandbox.core;
    const now = h.sandbox.clock.now();
    nhn.addApp({ appSeq: '1000047' });
    nhn.addItem({ appSeq: '1000047', itemName: 'gas', marketItemId: 'gas', itemSeq: 1032032 }, now);
    const purchaseToken =
      '5PYSHgisiCU8BditHnDbPhmlS/0DSt4JDs2UMyg1/EY8oC6Q8qkuw5VBo7GNrBYLNUy656GCAh7h9e1BtXeoBA==';
    nhn.addPayment(
      {
        appSeq: '1000047',
        itemSeq: 1032032,
        userKey: 'tester',
        price: '1000',
        currency: 'KRW',
        paymentSeq: '2014090210002254',
        purchaseToken,
      },
      now,
    );
    const answer = await post(
      '/inapp/v3/consume/2014090210002254/items/1032032',
      `{\n\t"purchaseToken":"${purchaseToken}"\n}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      header: { resultCode: 0, resultMessage: 'request is successful', isSuccessful: true },
      result: { price: 1000, currency: 'KRW' },
    });
    const again = await post('/inapp/v3/consume/2014090210002254/items/1032032', { purchaseToken });
    expect(expectNhn(again, 5018)).toEqual({
      header: { isSuccessful: false, resultCode: 5018, resultMessage: 'ALREADY_CONSUMED' },
      result: null,
    });
  });

  it('answers 5000 CONSUME_FAILED for a wrong token, an unknown payment or another item', async () => {
    const s = await setup();
    const p = await pay(s);
    const otherItem = await h.control('POST', '/nhncloud/items', {
      appSeq: s.appSeq,
      itemName: 'b',
      marketItemId: 'b',
    });
    const cases: [string, unknown][] = [
      [consumePath(p.paymentSeq, s.itemSeq), { purchaseToken: `${p.purchaseToken}x` }],
      [consumePath('2099010100000001', s.itemSeq), { purchaseToken: p.purchaseToken }],
      [consumePath(p.paymentSeq, String(otherItem.itemSeq)), { purchaseToken: p.purchaseToken }],
    ];
    for (const [path, body] of cases) {
      const answer = expectNhn(await post(path, body), 5000);
      expect(obj(answer.header).resultMessage).toBe('CONSUME_FAILED');
    }
    // A wrong token is CONSUME_FAILED even on a consumed payment.
    expectNhn(await post(consumePath(p.paymentSeq, s.itemSeq), { purchaseToken: p.purchaseToken }), 0);
    expectNhn(await post(consumePath(p.paymentSeq, s.itemSeq), { purchaseToken: 'wrong' }), 5000);
  });

  it('answers 1100 INVALID_PARAMETERS for bad path values and bodies', async () => {
    const s = await setup();
    const p = await pay(s);
    const good = consumePath(p.paymentSeq, s.itemSeq);
    const cases: [string, string][] = [
      [consumePath('abc', s.itemSeq), JSON.stringify({ purchaseToken: p.purchaseToken })],
      [consumePath(p.paymentSeq, 'item'), JSON.stringify({ purchaseToken: p.purchaseToken })],
      [good, JSON.stringify({})],
      [good, JSON.stringify({ purchaseToken: '' })],
      [good, JSON.stringify({ purchaseToken: 42 })],
      [good, '{"purchaseToken":'],
      [good, '["x"]'],
      [good, ''],
      [good, JSON.stringify({ purchaseToken: 'x'.repeat(70_000) })],
    ];
    for (const [path, body] of cases) {
      const answer = expectNhn(await post(path, body), 1100);
      expect(obj(answer.header).resultMessage).toBe('INVALID_PARAMETERS');
    }
    // Nothing was consumed.
    expectNhn(await post(good, { purchaseToken: p.purchaseToken }), 0);
  });

  it('answers 2111 for a content type other than application/json and 2112 for another method', async () => {
    const s = await setup();
    const p = await pay(s);
    const path = consumePath(p.paymentSeq, s.itemSeq);
    const body = JSON.stringify({ purchaseToken: p.purchaseToken });
    const wrongTypes: Record<string, string>[] = [
      {},
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
    ];
    for (const headers of wrongTypes) {
      const answer = expectNhn(await post(path, body, headers), 2111);
      expect(obj(answer.header).resultMessage).toBe('HTTP_CONTENT_TYPE_NOT_SUPPORT');
    }
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const answer = expectNhn(await h.http(method, path, { headers: JSON_TYPE }), 2112);
      expect(obj(answer.header).resultMessage).toBe('HTTP_REQUEST_METHOD_NOT_SUPPORT');
    }
    // application/json with a charset is fine.
    expectNhn(await post(path, body, { 'content-type': 'application/json; charset=UTF-8' }), 0);
  });

  it('lets exactly one of 50 concurrent consumes of one payment succeed', async () => {
    const s = await setup();
    const p = await pay(s);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        post(consumePath(p.paymentSeq, s.itemSeq), { purchaseToken: p.purchaseToken }),
      ),
    );
    const codes = answers.map((a) => obj(obj(a.json).header).resultCode);
    expect(codes.filter((c) => c === 0)).toHaveLength(1);
    expect(codes.filter((c) => c === 5018)).toHaveLength(49);
    expect(answers.every((a) => a.status === 200)).toBe(true);
  });
});

describe('Payment Consumable API', () => {
  it("answers the document's example body (appSeq as a string) with the unconsumed payments", async () => {
    const s = await setup('1000272');
    const first = await pay(s);
    const second = await pay(s);
    const consumed = await pay(s);
    await pay(s, 'someone-else');
    await pay(s, 'tester', { userChannel: 'OTHER' });
    expectNhn(
      await post(consumePath(consumed.paymentSeq, s.itemSeq), { purchaseToken: consumed.purchaseToken }),
      0,
    );
    const answer = await post(
      '/standard/inapp/v1/consumable/list',
      '{\n  "appSeq" : "1000272",\n  "userChannel" : "GF",\n  "userKey" : "tester"\n}',
    );
    const body = expectNhn(answer, 0);
    expect(obj(body.header).resultMessage).toBe('success');
    expect(arr(body.result)).toEqual([
      {
        paymentSeq: first.paymentSeq,
        itemSeq: s.itemSeq,
        currency: 'KRW',
        price: 1000,
        purchaseToken: first.purchaseToken,
      },
      {
        paymentSeq: second.paymentSeq,
        itemSeq: s.itemSeq,
        currency: 'KRW',
        price: 1000,
        purchaseToken: second.purchaseToken,
      },
    ]);
  });

  it('accepts a numeric appSeq, defaults userChannel to GF and filters by channel and user', async () => {
    const s = await setup('1000272');
    const gf = await pay(s);
    const other = await pay(s, 'tester', { userChannel: 'OTHER' });
    const tokens = async (body: unknown) =>
      arr(expectNhn(await post('/standard/inapp/v1/consumable/list', body), 0).result).map(
        (r) => obj(r).purchaseToken,
      );
    expect(await tokens({ appSeq: 1000272, userKey: 'tester' })).toEqual([gf.purchaseToken]);
    expect(await tokens({ appSeq: '1000272', userChannel: 'OTHER', userKey: 'tester' })).toEqual([
      other.purchaseToken,
    ]);
    expect(await tokens({ appSeq: '1000272', userKey: 'nobody' })).toEqual([]);
  });

  it('answers 1100 for an unknown app, a missing user key or malformed values, 2111 and 2112 as usual', async () => {
    await setup('1000272');
    const path = '/standard/inapp/v1/consumable/list';
    for (const body of [
      { appSeq: '999', userKey: 'tester' },
      { appSeq: '1000272' },
      { appSeq: '1000272', userKey: '' },
      { appSeq: 'abc', userKey: 'tester' },
      { userKey: 'tester' },
      { appSeq: '1000272', userKey: 'tester', userChannel: 7 },
      'not json',
    ]) {
      expectNhn(await post(path, body), 1100);
    }
    expectNhn(
      await post(path, { appSeq: '1000272', userKey: 'tester' }, { 'content-type': 'text/plain' }),
      2111,
    );
    expectNhn(await h.http('GET', path, { headers: JSON_TYPE }), 2112);
  });
});

describe('Item Search API', () => {
  it("answers the document's example (POST without a body) and GET alike", async () => {
    await h.control('POST', '/nhncloud/apps', {
      appSeq: '1000047',
      appName: 'Google 유니티 빌드 테스트 어플리케이션',
      marketAppId: 'com.nhnent.rich.smuggler',
    });
    const item = await h.control('POST', '/nhncloud/items', {
      appSeq: '1000047',
      itemName: '가스',
      marketItemId: 'gas',
      marketId: 'GG',
    });
    const expected = {
      header: { isSuccessful: true, resultCode: 0, resultMessage: 'success' },
      result: {
        appUsingStatus: 'USE',
        itemList: [
          {
            itemSeq: item.itemSeq,
            itemName: '가스',
            marketItemId: 'gas',
            usingStatus: 'USE',
            regYmdt: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
            appName: 'Google 유니티 빌드 테스트 어플리케이션',
            marketId: 'GG',
          },
        ],
        marketAppId: 'com.nhnent.rich.smuggler',
        appSeq: '1000047',
      },
    };
    const viaPost = await h.http('POST', '/standard/item/list/1000047');
    expect(viaPost.status).toBe(200);
    expect(viaPost.json).toEqual(expected);
    expect((await h.http('GET', '/standard/item/list/1000047')).json).toEqual(expected);
    expect((await post('/standard/item/list/1000047', '{}')).json).toEqual(expected);
    expect(await h.count('nhncloud.itemList')).toBe(3);
  });

  it('answers 1100 for an unknown or malformed appSeq, 2111 for a wrong POST content type, 2112 otherwise', async () => {
    await setup('1000047');
    expectNhn(await h.http('GET', '/standard/item/list/999'), 1100);
    expectNhn(await h.http('GET', '/standard/item/list/abc'), 1100);
    expectNhn(await post('/standard/item/list/1000047', 'x', { 'content-type': 'text/plain' }), 2111);
    expectNhn(await h.http('DELETE', '/standard/item/list/1000047'), 2112);
    expectNhn(await h.http('PUT', '/standard/item/list/1000047', { headers: JSON_TYPE, body: '{}' }), 2112);
  });
});

describe('unknown paths', () => {
  it('answers 404 with the envelope for a path no NHN API has', async () => {
    const answer = await h.http('POST', '/inapp/v2/consume/1/items/2', { headers: JSON_TYPE, body: '{}' });
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({
      header: { isSuccessful: false, resultCode: 404, resultMessage: 'NOT_FOUND' },
      result: null,
    });
    expect((await h.http('GET', '/standard/unknown')).status).toBe(404);
    expect(await h.count('unmatched')).toBe(2);
  });
});
