import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GamebaseClient } from '../../src/stores/gamebase/index.js';
import { isStoreError, provesNotApplied } from '../../src/stores/index.js';
import { NhnCloudClient } from '../../src/stores/nhncloud/index.js';
import { failure } from '../helpers/stores.js';

/**
 * Review of issue 24 point 2: docs/redemption.md ("What an answer to a change proves", NHN Cloud)
 * reads "a header whose `isSuccessful` and `resultCode` disagree" as uncertain. NHN's guide defines
 * `isSuccessful` on consume as "whether the consume went through" (결제소비가 정상적으로 됐는지 여부):
 * `isSuccessful: true` with a refusal code contradicts itself and proves nothing, so it must never be
 * read as "not applied" (which drops the pending grant of a consume the store may have made).
 */

let server: Server;
let base: string;
let header: Record<string, unknown> = {};
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res
        .writeHead(200, { 'content-type': 'application/json;charset=UTF-8' })
        .end(JSON.stringify({ header, result: null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('a consume answered isSuccessful: true with a refusal resultCode: uncertain', () => {
  it.each([1100, 2111, 2112])('NHN Cloud, resultCode %i', async (resultCode) => {
    header = { isSuccessful: true, resultCode, resultMessage: 'request is successful' };
    const client = new NhnCloudClient({ baseUrl: base });
    try {
      const error = await failure(
        client.consume({ paymentSeq: '2014090210002254', itemSeq: '1032032', purchaseToken: 'dG9rZW4' }),
      );
      expect(isStoreError(error)).toBe(true);
      expect(error).toMatchObject({ resultCode, kind: 'UncertainOutcomeError' });
      expect(provesNotApplied(error)).toBe(false);
    } finally {
      await client.close();
    }
  });

  it('Gamebase, resultCode 1100', async () => {
    header = { isSuccessful: true, resultCode: 1100, resultMessage: 'SUCCESS' };
    const client = new GamebaseClient({
      baseUrl: base,
      appId: 'review3app',
      secretKey: 'ABCDEFGH',
    });
    try {
      const error = await failure(
        client.consume({ paymentSeq: '2014090210002254', purchaseToken: 'dG9rZW4' }),
      );
      expect(isStoreError(error)).toBe(true);
      expect(error).toMatchObject({ resultCode: 1100, kind: 'UncertainOutcomeError' });
      expect(provesNotApplied(error)).toBe(false);
    } finally {
      await client.close();
    }
  });
});
