import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { type LedgerStorage, openLedgerStorage } from '../../src/redemption/service.js';
import { APP, type GatewayHarness, type GqlAnswer, purchase, startGateway } from './gateway.js';
import { REDEEM, type RedeemAnswer } from './redeem.js';

/**
 * What the tests of a ledger that cannot write share (a full disk, a read-only file, a failing WAL,
 * a silent PostgreSQL server): a gateway whose log lines are kept, redemptions of new purchases,
 * and the readiness and metrics a load balancer and an operator read.
 */

export interface LogLine {
  level: string;
  obj: Record<string, unknown>;
  msg: string;
}

/** A logger keeping every line; pino's error level too, which the gateway uses for outages. */
export function recordingLogger() {
  const lines: LogLine[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) =>
    lines.push({ level, obj, msg });
  return { lines, logger: { debug: at('debug'), warn: at('warn'), error: at('error') } };
}

/**
 * An embedded ledger in `dataDir` whose failed writes are probed every 100 ms, and a gateway on it
 * with a recording logger, its redemption service started. `checkpointIntervalMs`: the ledger's
 * (default: the ledger's own default).
 */
export async function gatewayOnDisk(
  dataDir: string,
  options: { checkpointIntervalMs?: number } = {},
): Promise<{ g: GatewayHarness; ledger: LedgerStorage; lines: LogLine[] }> {
  const ledger = await openLedgerStorage({ dataDir, ...options, writeProbeIntervalMs: 100 });
  const { lines, logger } = recordingLogger();
  const g = await startGateway({ gatewayOptions: { ledger, logger } });
  await g.gateway.redemption();
  return { g, ledger, lines };
}

/** Redeems a new ONE store purchase of app A for user `u`: the whole answer, masked errors and all. */
export async function redeemNewPurchase(g: GatewayHarness): Promise<GqlAnswer> {
  const p = await purchase(g);
  const onestore = { productId: p.productId, purchaseToken: p.purchaseToken };
  return g.gql(REDEEM, { input: { app: APP, userId: 'u', onestore } });
}

/** `redeemNewPurchase`'s union member (a failed test on top-level errors). */
export async function redeemNew(g: GatewayHarness): Promise<RedeemAnswer> {
  return (await redeemNewPurchase(g)).data.redeemPurchase as RedeemAnswer;
}

/**
 * What an outage of the ledger's writes shows: /readyz 503 naming the SQLite `code`, the writable
 * gauge at 0, and an error line naming the file and the code.
 */
export async function expectWriteOutage(g: GatewayHarness, lines: LogLine[], file: string, code: RegExp) {
  const down = await readyz(g);
  expect(down.status).toBe(503);
  expect(down.body.checks.ledgerWrite).toMatch(code);
  expect(await metricValue(g, 'gateway_ledger_writable')).toBe(0);
  expect(lines.find((l) => l.msg.startsWith('grant ledger cannot write'))).toMatchObject({
    level: 'error',
    obj: { file, code: expect.stringMatching(code) },
  });
}

/** GET /readyz: its status and the ledger's write check. */
export async function readyz(g: GatewayHarness) {
  const response = await fetch(`${g.url}/readyz`);
  return { status: response.status, body: (await response.json()) as { checks: { ledgerWrite: string } } };
}

/** One unlabelled series of GET /metrics (NaN when it is missing). */
export async function metricValue(g: GatewayHarness, name: string): Promise<number> {
  const text = await (await fetch(`${g.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

/**
 * Whether this process can mount a tmpfs: only root with CAP_SYS_ADMIN can (this project's CI runs
 * as root on a machine that allows it); elsewhere the full-disk cases are skipped.
 */
export const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

/**
 * For a test file (call it at its top): a maker of 3 MiB file systems, each unmounted after its
 * test. 3 MiB is under SQLite's first auto-checkpoint (1000 pages), so every commit stays in the WAL.
 */
export function smallDisks(): () => string {
  const mounts: string[] = [];
  afterEach(() => {
    for (const dir of mounts.splice(0)) {
      execFileSync('umount', [dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', dir]);
    mounts.push(dir);
    return dir;
  };
}

/** Redeems new purchases until the ledger answers an outage; the grant ids settled before. */
export async function fillUntilOutage(g: GatewayHarness): Promise<{ settled: string[]; answers: string[] }> {
  const settled: string[] = [];
  const answers: string[] = [];
  for (let i = 0; i < 400; i++) {
    const { body } = await redeemNewPurchase(g);
    const answer = body.data?.redeemPurchase as RedeemAnswer | null | undefined;
    answers.push(answer?.__typename ?? `masked: ${JSON.stringify(body.errors)}`);
    if (answer?.grant?.status === 'SETTLED') settled.push(answer.grant.id);
    if (answer?.__typename === 'LedgerUnavailableError') break;
  }
  return { settled, answers };
}

/**
 * A gateway on an embedded ledger on a new small disk (`smallDisk`, of `smallDisks()`), fed new
 * redemptions until the ledger answered an outage: their answers, the mount, and what `gatewayOnDisk`
 * answers. The caller closes the gateway and the ledger.
 */
export async function gatewayOnFullDisk(smallDisk: () => string) {
  const mount = smallDisk();
  const started = await gatewayOnDisk(join(mount, 'ledger'));
  try {
    return { ...started, mount, ...(await fillUntilOutage(started.g)) };
  } catch (error) {
    await started.g.close();
    await started.ledger.db.close();
    throw error;
  }
}
