import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS_DIR, PERSISTED_ONLY_MESSAGE, sha256 } from '../../src/server/persisted-operations.js';
import { APP, type GatewayHarness, purchase, startGateway, upstreamTotal } from '../helpers/gateway.js';

/** `persistedOperations: true`: only the documents of schema/persisted-operations.json run. */

let g: GatewayHarness;
let verify: string;
beforeAll(async () => {
  g = await startGateway({ config: { persistedOperations: true } });
  verify = await readFile(new URL('verify-purchase.graphql', OPERATIONS_DIR), 'utf8');
});
afterAll(async () => {
  await g.close();
});

interface Answer {
  status: number;
  body: { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** POST /graphql with any body shape (the harness's `gql` always sends `query`). */
async function post(body: object): Promise<Answer> {
  const response = await fetch(`${g.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${g.keys.rw}`,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const variablesOf = async () => {
  const p = await purchase(g);
  return { app: APP, productId: p.productId, purchaseToken: p.purchaseToken };
};

describe('persisted operations mode', () => {
  it('runs a persisted operation sent by its hash', async () => {
    const answer = await post({
      variables: await variablesOf(),
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(verify) } },
    });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.purchase).toMatchObject({ __typename: 'Purchase' });
  });

  it('runs a persisted operation sent as its exact text', async () => {
    const answer = await post({ query: verify, variables: await variablesOf() });
    expect(answer.body.data?.purchase).toMatchObject({ __typename: 'Purchase' });
  });

  it('rejects any other document without calling a store', async () => {
    const variables = await variablesOf();
    await g.resetStats();
    const edited = verify.replace('purchaseState', 'purchaseState purchaseTime');
    for (const query of [
      'query($app: String!, $productId: String!, $purchaseToken: String!) { purchase(app: $app, productId: $productId, purchaseToken: $purchaseToken) { __typename } }',
      edited,
    ]) {
      const answer = await post({ query, variables });
      expect(answer.status).toBe(400);
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors?.[0]).toMatchObject({
        message: PERSISTED_ONLY_MESSAGE,
        extensions: { code: 'PERSISTED_QUERY_ONLY' },
      });
    }
    expect(await upstreamTotal(g)).toBe(0);
  });

  it('answers PersistedQueryNotFound for an unknown hash', async () => {
    const answer = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256('x') } } });
    expect(answer.body.errors?.[0]).toMatchObject({
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });
  });
});

describe('npm run persisted:check', () => {
  const run = promisify(execFile);
  const check = (file: string) =>
    run('node_modules/.bin/tsx', ['scripts/persisted-operations.ts', '--check', '--manifest', file]);

  it('passes on the committed manifest and fails on a stale one', async () => {
    await expect(check('schema/persisted-operations.json')).resolves.toBeDefined();
    const manifest = JSON.parse(await readFile('schema/persisted-operations.json', 'utf8')) as Record<
      string,
      string
    >;
    const [first] = Object.keys(manifest);
    if (first !== undefined) delete manifest[first];
    const stale = join(tmpdir(), `persisted-${process.pid}.json`);
    await writeFile(stale, `${JSON.stringify(manifest, null, 2)}\n`);
    await expect(check(stale)).rejects.toMatchObject({ code: 1 });
  });
});
