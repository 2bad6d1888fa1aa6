import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GatewayProcess,
  gqlAt,
  killAllGateways,
  PROCESS_APP,
  spawnGateway,
  writeProcessConfig,
} from '../helpers/gateway-process.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { REDEEM, type RedeemAnswer } from '../helpers/redeem.js';
import { type SandboxHarness, startHarness } from '../helpers/sandbox.js';

const API_KEY = `proc-${randomUUID()}`;
const TEST_DB_URL = process.env.TEST_DATABASE_URL ?? '';
const postgres = ledgerBackends().find((b) => b.name === 'postgres');

interface Setup {
  h: SandboxHarness;
  dir: string;
  clientId: string;
  clientSecret: string;
  nhnAppSeq: string;
}

async function setup(): Promise<Setup> {
  const h = await startHarness({});
  const clientId = `com.example.proc${randomUUID().slice(0, 8)}`;
  const clientSecret = `secret-${randomUUID()}`;
  await h.control('POST', '/onestore/apps', { clientId, clientSecret });
  const nhn = await h.control<{ appSeq: string | number }>('POST', '/nhncloud/apps', {});
  const dir = await mkdtemp(join(tmpdir(), 'gateway-ledger-'));
  return { h, dir, clientId, clientSecret, nhnAppSeq: String(nhn.appSeq) };
}

async function buy(s: Setup): Promise<{ productId: string; purchaseToken: string }> {
  const p = await s.h.control<{ purchaseToken: string }>('POST', '/onestore/purchases', {
    type: 'inapp',
    productId: 'gem_100',
    clientId: s.clientId,
  });
  return { productId: 'gem_100', purchaseToken: p.purchaseToken };
}

async function redeemAt(url: string, input: object): Promise<RedeemAnswer> {
  const answer = await gqlAt<{ redeemPurchase: RedeemAnswer }>(url, API_KEY, REDEEM, { input });
  if (!answer.data) throw new Error(`no data: ${JSON.stringify(answer.errors)}`);
  return answer.data.redeemPurchase;
}

/** A database of its own for these processes (main.ts takes only DATABASE_URL). */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ledger_proc_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: TEST_DB_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DB_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DB_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function rows(databaseUrl: string, purchaseKey: string): Promise<{ status: string }[]> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  const result = await c.query<{ status: string }>('SELECT status FROM grants WHERE purchase_key = $1', [
    purchaseKey,
  ]);
  await c.end();
  return result.rows;
}

describe.skipIf(postgres?.skip ?? true)('two gateway processes on one PostgreSQL ledger', () => {
  let s: Setup;
  let db: { url: string; drop: () => Promise<void> };
  const gateways: GatewayProcess[] = [];
  beforeAll(async () => {
    s = await setup();
    db = await freshDatabase();
    const config = await writeProcessConfig({
      ...s,
      sandboxUrl: s.h.url,
      apiKey: API_KEY,
      ledger: { sweepIntervalSeconds: 0 },
    });
    const env = { SECRET_A: s.clientSecret, DATABASE_URL: db.url };
    gateways.push(...(await Promise.all([spawnGateway(config, env), spawnGateway(config, env)])));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop('SIGKILL')));
    killAllGateways();
    await db?.drop();
    await s?.h.close();
    await rm(s.dir, { recursive: true, force: true });
  });

  it('200 duplicates split between them: one grant row, one upstream consume, one grant id', async () => {
    const p = await buy(s);
    await s.h.control('DELETE', '/stats');
    const input = { app: PROCESS_APP, userId: 'player-1', onestore: p };
    const [a, b] = [gateways[0]?.url ?? '', gateways[1]?.url ?? ''];
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => redeemAt(i % 2 === 0 ? a : b, input)),
    );
    const ids = new Set(answers.map((x) => x.grant?.id ?? x.grantId));
    expect(ids.size).toBe(1);
    for (const x of answers)
      expect(['RedeemPurchaseSuccess', 'RedemptionInProgressError']).toContain(x.__typename);
    expect(answers.filter((x) => x.alreadyRedeemed === false)).toHaveLength(1);
    expect(await s.h.count('onestore.consumePurchase')).toBe(1);
    expect(await rows(db.url, p.purchaseToken)).toEqual([{ status: 'SETTLED' }]);
  }, 60_000);
});

/**
 * The process dies after the pending grant is written and the consume has reached the store, but
 * before the answer came back: the sandbox consumes, then holds its answer for 10 s.
 */
async function crashAndRestart(s: Setup, config: string, env: Record<string, string>) {
  const first = await spawnGateway(config, env);
  const p = await buy(s);
  await s.h.control('DELETE', '/stats');
  await s.h.control('POST', '/faults', {
    endpoint: 'onestore.consumePurchase',
    phase: 'after',
    latencyMs: 3_000,
    count: 1,
  });
  const faultAt = Date.now();
  const input = { app: PROCESS_APP, userId: 'player-crash', onestore: p };
  const lost = redeemAt(first.url, input).catch(() => null);
  // The store's own record turns consumed the moment the consume is handled (the answer is held back).
  const consumed = async () =>
    (await s.h.control<{ consumptionState: number }>('GET', `/onestore/purchases/${p.purchaseToken}`))
      .consumptionState === 1;
  for (let i = 0; i < 400 && !(await consumed()); i++) await new Promise((r) => setTimeout(r, 10));
  expect(await consumed()).toBe(true);
  await first.stop('SIGKILL');
  expect(await lost).toBeNull();

  const second = await spawnGateway(config, env);
  try {
    let answer: RedeemAnswer | undefined;
    for (let i = 0; i < 100; i++) {
      answer = await redeemAt(second.url, input);
      if (answer.__typename === 'RedeemPurchaseSuccess') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(answer).toMatchObject({
      __typename: 'RedeemPurchaseSuccess',
      grant: { status: 'SETTLED', outcome: 'CONSUMED' },
    });
    // The held-back consume is counted when its answer would have gone out; wait for that, then count.
    await new Promise((r) => setTimeout(r, Math.max(0, faultAt + 3_500 - Date.now())));
    expect(await s.h.count('onestore.consumePurchase')).toBe(1);
    return { purchaseToken: p.purchaseToken, second };
  } catch (error) {
    await second.stop('SIGKILL');
    throw error;
  }
}

describe('a gateway killed between the pending grant and the consume answer', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(async () => {
    killAllGateways();
    await s?.h.close();
    await rm(s.dir, { recursive: true, force: true });
  });

  it('embedded ledger: after restart the start-up recovery settles exactly one grant, no second consume', async () => {
    const config = await writeProcessConfig({
      ...s,
      sandboxUrl: s.h.url,
      apiKey: API_KEY,
      ledger: { dataDir: join(s.dir, 'ledger'), sweepIntervalSeconds: 0 },
    });
    const { second } = await crashAndRestart(s, config, { SECRET_A: s.clientSecret });
    await second.stop('SIGTERM');
  }, 90_000);

  it.skipIf(postgres?.skip ?? true)(
    'PostgreSQL ledger: the claim expires and the sweeper settles it',
    async () => {
      const db = await freshDatabase();
      try {
        const config = await writeProcessConfig({
          ...s,
          sandboxUrl: s.h.url,
          apiKey: API_KEY,
          ledger: { leaseSeconds: 2, sweepIntervalSeconds: 1, inProgressWaitMs: 0 },
        });
        const { purchaseToken, second } = await crashAndRestart(s, config, {
          SECRET_A: s.clientSecret,
          DATABASE_URL: db.url,
        });
        await second.stop('SIGTERM');
        expect(await rows(db.url, purchaseToken)).toEqual([{ status: 'SETTLED' }]);
      } finally {
        await db.drop();
      }
    },
    90_000,
  );
});
