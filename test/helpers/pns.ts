import { createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { DEMO_PNS_PUBLIC_KEY } from '../../src/sandbox/index.js';
import type { ManagedPurchase } from '../../src/sandbox/onestore/model.js';
import type { GatewayMetrics } from '../../src/server/metrics.js';
import type { GatewayHarness } from './gateway.js';

/**
 * ONE store payment notifications (PNS) in tests. The signed bytes are written out a third time
 * here (after the gateway's and the sandbox's): the message without `signature`, keys sorted,
 * compact JSON, UTF-8, SHA512withRSA.
 */

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return Object.fromEntries(entries.map(([k, v]) => [k, sorted(v)]));
}

export function bytesToSign(message: Record<string, unknown>): Buffer {
  const { signature: _s, ...rest } = message;
  return Buffer.from(JSON.stringify(sorted(rest)), 'utf8');
}

/** The message signed with `privateKey` (a forger's, unless it is the sandbox's). */
export function signedWith(
  message: Record<string, unknown>,
  privateKey: KeyObject | string,
): Record<string, unknown> {
  return { ...message, signature: sign('sha512', bytesToSign(message), privateKey).toString('base64') };
}

/** Whether the demo licence key verifies `message`'s signature. */
export function demoKeyVerifies(message: Record<string, unknown>): boolean {
  const key = createPublicKey({
    key: Buffer.from(DEMO_PNS_PUBLIC_KEY, 'base64'),
    format: 'der',
    type: 'spki',
  });
  return verify('sha512', bytesToSign(message), key, Buffer.from(String(message.signature), 'base64'));
}

/** A key pair that is not the demo one: what a forger has. */
export function forgerKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

/** The sandbox's own signed notification for a managed purchase (what it would send). */
export function sandboxNotice(
  g: GatewayHarness,
  purchaseToken: string,
  state: 'COMPLETED' | 'CANCELED',
): Record<string, unknown> {
  const p = g.h.sandbox.core.onestore.purchases.get(purchaseToken);
  if (p?.type !== 'inapp') throw new Error(`no managed purchase ${purchaseToken}`);
  return g.h.sandbox.core.pns.message(p as ManagedPurchase, state);
}

export interface PnsAnswer {
  status: number;
  body: { result?: string; outcome?: string; message?: string } | undefined;
}

/** POSTs a notification to the gateway over real HTTP: an object as JSON, a string as it is. */
export async function postNotice(
  g: GatewayHarness,
  app: string,
  body: Record<string, unknown> | string,
  init: { headers?: Record<string, string>; method?: string } = {},
): Promise<PnsAnswer> {
  const response = await fetch(`${g.url}/notifications/onestore/${app}`, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    ...(init.method !== 'GET' && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: PnsAnswer['body'];
  try {
    parsed = JSON.parse(text) as PnsAnswer['body'];
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed };
}

/** `gateway_onestore_notifications_total` as `result/outcome` → count (non-zero only). */
export async function noticeCounts(metrics: GatewayMetrics): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { labels, value } of (await metrics.onestoreNotifications.get()).values)
    if (value > 0) out[`${labels.result}/${labels.outcome}`] = value;
  return out;
}

/** Polls `check` every 20 ms until it is true or `timeoutMs` passes (then fails). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
