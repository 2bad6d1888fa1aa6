import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/load.js';
import { DEMO_PNS_PUBLIC_KEY } from '../../src/sandbox/index.js';
import { createLogger } from '../../src/server/logger.js';
import { GatewayMetrics } from '../../src/server/metrics.js';
import { PNS_MAX_BODY_BYTES } from '../../src/server/onestore-pns.js';
import { APP, act, OTHER_APP, purchase, startGateway, upstreamTotal } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';
import {
  demoKeyVerifies,
  forgerKey,
  noticeCounts,
  type PnsAnswer,
  postNotice,
  sandboxNotice,
  signedWith,
} from '../helpers/pns.js';
import { redeem } from '../helpers/redeem.js';

/**
 * Every notification the gateway must refuse is refused before the ledger or a store is touched:
 * the sandbox's counters stay at zero and the grant of a voided purchase stays unrevoked (the
 * purchase really is voided, so a notification acted on would revoke it).
 */
describe('ONE store PNS refusals', () => {
  const metrics = new GatewayMetrics({ processMetrics: false });
  const g = useGateway({
    licensePublicKey: DEMO_PNS_PUBLIC_KEY,
    config: { ledger: { revocationSyncIntervalSeconds: 0, sweepIntervalSeconds: 0 } },
    gatewayOptions: { metrics },
  });
  let notice: Record<string, unknown>;
  let grantId: string | undefined;
  const ONE = `query ($id: ID!) { grant(app: "${APP}", id: $id) { ... on Grant { revokedAt } } }`;
  const revokedAt = async () =>
    ((await g.gql(ONE, { id: grantId })).data.grant as { revokedAt: string | null }).revokedAt;

  beforeAll(async () => {
    const p = await purchase(g);
    const redeemed = await redeem(g, {
      app: APP,
      userId: `player-${randomUUID().slice(0, 8)}`,
      onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
    });
    grantId = redeemed.grant?.id;
    await act(g, p.purchaseToken, 'void');
    notice = sandboxNotice(g, p.purchaseToken, 'CANCELED');
    expect(demoKeyVerifies(notice)).toBe(true);
  });
  beforeEach(async () => {
    await g.resetStats();
    metrics.onestoreNotifications.reset();
  });

  const refused = async (answer: PnsAnswer, status: number, result: string) => {
    expect(answer).toMatchObject({ status, body: { result } });
    expect(await upstreamTotal(g)).toBe(0);
    expect(await revokedAt()).toBeNull();
    expect(await noticeCounts(metrics)).toEqual({ [`${result}/none`]: 1 });
  };

  it('forged: signed with another key, 403', async () => {
    const { signature: _s, ...unsigned } = notice;
    await refused(await postNotice(g, APP, signedWith(unsigned, forgerKey())), 403, 'refused_signature');
  });

  it('tampered: a field changed after signing, 403', async () => {
    await refused(
      await postNotice(g, APP, { ...notice, purchaseId: 'SANDBOX0000000000001' }),
      403,
      'refused_signature',
    );
  });

  it('a member added to a signed message, even one named __proto__, breaks the signature, 403', async () => {
    const added = JSON.stringify(notice).replace(/^\{/, '{"__proto__":{"isTestMdn":false},');
    await refused(await postNotice(g, APP, added), 403, 'refused_signature');
    metrics.onestoreNotifications.reset();
    await refused(await postNotice(g, APP, { ...notice, extra: 'x' }), 403, 'refused_signature');
  });

  it('a signature that is not one (right length of garbage), 403', async () => {
    const garbage = Buffer.alloc(256, 7).toString('base64');
    await refused(await postNotice(g, APP, { ...notice, signature: garbage }), 403, 'refused_signature');
  });

  it('unsigned: no signature member, 401', async () => {
    const { signature: _s, ...unsigned } = notice;
    await refused(await postNotice(g, APP, unsigned), 401, 'refused_unsigned');
  });

  it('an app that does not exist, or has no licence key, 404', async () => {
    await refused(await postNotice(g, 'nosuchapp', notice), 404, 'refused_app');
    metrics.onestoreNotifications.reset();
    // OTHER_APP is configured, with a ONE store client, but without licensePublicKey.
    await refused(await postNotice(g, OTHER_APP, notice), 404, 'refused_app');
  });

  it('oversized by Content-Length, 413', async () => {
    const big = { ...notice, productName: 'x'.repeat(PNS_MAX_BODY_BYTES) };
    await refused(await postNotice(g, APP, big), 413, 'refused_size');
  });

  it('oversized without Content-Length (chunked), 413 while reading', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${g.url}/notifications/onestore/${APP}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 5; i++) req.write('x'.repeat(4_000));
      req.end();
    });
    expect(status).toBe(413);
    expect(await upstreamTotal(g)).toBe(0);
    expect(await noticeCounts(metrics)).toEqual({ 'refused_size/none': 1 });
  });

  it('not JSON, or JSON of the wrong shape, 400', async () => {
    await refused(await postNotice(g, APP, '{"purchaseId": '), 400, 'refused_body');
    metrics.onestoreNotifications.reset();
    await refused(await postNotice(g, APP, '[1,2,3]'), 400, 'refused_body');
    metrics.onestoreNotifications.reset();
    await refused(await postNotice(g, APP, { ...notice, purchaseState: 'REFUNDED' }), 400, 'refused_body');
    metrics.onestoreNotifications.reset();
    const { marketCode: _m, ...noMarket } = notice;
    await refused(await postNotice(g, APP, noMarket), 400, 'refused_body');
  });

  it('a method other than POST, 405', async () => {
    await refused(await postNotice(g, APP, '', { method: 'GET' }), 405, 'refused_method');
  });

  it("a signed notice naming another app's clientId, 403", async () => {
    // Signed correctly (the sandbox signs every app with the demo key), but for app B's clientId.
    const { signature: _s, ...unsigned } = notice;
    const { DEMO_PNS_PRIVATE_KEY } = await import('../../src/sandbox/onestore/pns-demo-key.js');
    const forOther = signedWith({ ...unsigned, clientId: g.onestore.b }, DEMO_PNS_PRIVATE_KEY);
    await refused(await postNotice(g, APP, forOther), 403, 'refused_client');
  });

  it('after all that, the genuine notice is acted on: one store read, and the grant is revoked', async () => {
    expect(await postNotice(g, APP, notice)).toEqual({
      status: 200,
      body: { result: 'accepted', outcome: 'revoked' },
    });
    expect(await upstreamTotal(g)).toBe(1);
    expect(await revokedAt()).toEqual(expect.any(String));
    expect(await noticeCounts(metrics)).toEqual({ 'accepted/revoked': 1 });
  });
});

describe('licensePublicKey in the config', () => {
  const config = (licensePublicKey: string) => ({
    apps: { game: { onestore: { clientId: 'c', clientSecret: { env: 'S' }, licensePublicKey } } },
    apiKeys: [{ name: 'k', sha256: 'a'.repeat(64), apps: ['game'], scopes: ['read'] }],
  });

  it('takes a base64 SubjectPublicKeyInfo RSA key, and refuses anything else naming the key', () => {
    expect(resolveConfig(config(DEMO_PNS_PUBLIC_KEY), { S: 's' }).apps.get('game')?.onestore).toMatchObject({
      licensePublicKey: DEMO_PNS_PUBLIC_KEY,
    });
    for (const bad of ['not base64!', Buffer.from('not a key').toString('base64')]) {
      expect(() => resolveConfig(config(bad), { S: 's' })).toThrow(ConfigError);
      expect(() => resolveConfig(config(bad), { S: 's' })).toThrow(/apps\.game\.onestore\.licensePublicKey/);
    }
  });
});

describe('refused notifications in the log', () => {
  it('writes at most 10 refused lines a second (anyone can post), while the metric counts them all', async () => {
    const raw: string[] = [];
    const log = createLogger({ level: 'info' }, { write: (line: string) => void raw.push(line) });
    const metrics = new GatewayMetrics({ processMetrics: false });
    const g = await startGateway({
      licensePublicKey: DEMO_PNS_PUBLIC_KEY,
      gatewayOptions: { logger: log, metrics },
    });
    try {
      const started = Date.now();
      for (let i = 0; i < 15; i++) expect((await postNotice(g, APP, '{}')).status).toBe(400);
      const lines = raw
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.msg === 'onestore notification');
      // Within one wall-clock second exactly 10; if the run crossed a second, the new window adds more.
      if (Math.floor(Date.now() / 1000) === Math.floor(started / 1000)) expect(lines.length).toBe(10);
      else expect(lines.length).toBeGreaterThanOrEqual(10);
      expect(lines[0]).toMatchObject({ status: 400, app: APP, result: 'refused_body' });
      expect(await noticeCounts(metrics)).toEqual({ 'refused_body/none': 15 });
    } finally {
      await g.close();
    }
  });
});
