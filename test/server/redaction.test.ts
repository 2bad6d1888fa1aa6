import { describe, expect, it } from 'vitest';
import { createLogger, tokenFingerprint } from '../../src/server/logger.js';
import { APP, BAD_SECRET_APP, ERROR_FIELDS, purchase } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';

/**
 * The process logger (what `npm start` uses) during a scenario with failures and retries: no API
 * key, client secret or purchase token appears in any line, and a line that does carry such fields
 * (a future mistake) comes out censored, purchase tokens as a fingerprint.
 */

const lines: string[] = [];
const log = createLogger({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
const g = useGateway({ gatewayOptions: { logger: log } });

const LOOKUP = `query($app: String!, $p: String!, $t: String!) {
  purchase(app: $app, productId: $p, purchaseToken: $t) { __typename ${ERROR_FIELDS} } }`;
const CONSUME = `mutation($input: ConsumePurchaseInput!) {
  consumePurchase(input: $input) { __typename ${ERROR_FIELDS} } }`;

describe('log redaction', () => {
  it('a scenario with retries and store errors logs no key, secret or token', async () => {
    const bought = await purchase(g);
    const vars = { app: APP, p: bought.productId, t: bought.purchaseToken };
    await g.control('POST', '/faults', { endpoint: 'onestore.getPurchaseDetails', status: 500, count: 1 });
    expect((await g.gql(LOOKUP, vars)).data).toMatchObject({ purchase: { __typename: 'Purchase' } });
    const consume = {
      input: { app: APP, onestore: { productId: bought.productId, purchaseToken: bought.purchaseToken } },
    };
    await g.gql(CONSUME, consume);
    expect((await g.gql(CONSUME, consume)).data).toMatchObject({
      consumePurchase: { __typename: 'AlreadyConsumedError' },
    });
    expect((await g.gql(LOOKUP, { ...vars, app: BAD_SECRET_APP })).data).toMatchObject({
      purchase: { __typename: 'StoreAccessDeniedError' },
    });
    await g.gql(LOOKUP, vars, { key: g.keys.ro.replace('ro-', 'xx-') });

    const text = lines.join('');
    expect(text).toContain('retrying upstream call');
    const secrets = [
      g.keys.rw,
      g.keys.ro,
      bought.purchaseToken,
      ...[...g.config.apps.values()].map((app) => app.onestore?.clientSecret ?? 'none'),
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('no response body or header carries an API key, a client secret or the access token', async () => {
    lines.length = 0;
    const bought = await purchase(g);
    const vars = { app: APP, p: bought.productId, t: bought.purchaseToken };
    const consume = {
      query: CONSUME,
      variables: {
        input: { app: APP, onestore: { productId: bought.productId, purchaseToken: bought.purchaseToken } },
      },
    };
    const requests: { body: object; key: string }[] = [
      { body: { query: LOOKUP, variables: vars }, key: g.keys.rw },
      { body: consume, key: g.keys.rw },
      { body: consume, key: g.keys.rw },
      { body: { query: LOOKUP, variables: { ...vars, app: BAD_SECRET_APP } }, key: g.keys.rw },
      { body: { query: LOOKUP, variables: vars }, key: `${g.keys.rw}x` },
      { body: { query: '{ nope }' }, key: g.keys.rw },
    ];
    const seen: string[] = [];
    for (const { body, key } of requests) {
      const response = await fetch(`${g.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(body),
      });
      seen.push(JSON.stringify([...response.headers]), await response.text());
    }
    // The sandbox hands out the same token while 600 s or more remain: this is the gateway's token.
    const app = g.config.apps.get(APP)?.onestore;
    const token = await fetch(`${g.h.url}/v7/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: app?.clientId ?? '',
        client_secret: app?.clientSecret ?? '',
      }).toString(),
    });
    const accessToken = ((await token.json()) as { access_token: string }).access_token;
    expect(accessToken).toMatch(/^[0-9a-f-]{36}$/);
    const text = seen.join('\n') + lines.join('');
    const secrets = [
      g.keys.rw,
      g.keys.ro,
      accessToken,
      ...[...g.config.apps.values()].map((a) => a.onestore?.clientSecret ?? 'none'),
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(seen.some((part) => part.includes('AlreadyConsumedError'))).toBe(true);
  });

  it('fields that would leak are censored; a purchase token becomes a fingerprint', () => {
    lines.length = 0;
    const token = 'PURCHASE-TOKEN-0123456789';
    log.warn(
      {
        headers: { authorization: 'Bearer key-1', 'x-api-key': 'key-2' },
        authorization: 'Bearer key-3',
        clientSecret: 'secret-4',
        credentials: { client_secret: 'secret-5', access_token: 'token-6', accessToken: 'token-7' },
        purchaseToken: token,
        input: { purchaseToken: token },
      },
      'a careless line',
    );
    const [line = ''] = lines;
    for (const leak of ['key-1', 'key-2', 'key-3', 'secret-4', 'secret-5', 'token-6', 'token-7', token])
      expect(line).not.toContain(leak);
    const parsed = JSON.parse(line) as { purchaseToken: string; input: { purchaseToken: string } };
    expect(parsed.purchaseToken).toBe(tokenFingerprint(token));
    expect(parsed.input.purchaseToken).toMatch(/^sha256:[0-9a-f]{12}$/);
  });
});
