import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A delivery whose signature does not verify (or is missing, or too old). */
export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

/** Request headers as node:http gives them, as a plain record, or a fetch `Headers`. */
export type WebhookHeaders = Headers | Record<string, string | readonly string[] | undefined>;

export interface VerifyWebhookOptions {
  /** Seconds a `gateway-v1` signature's `t` may be from now (Standard Webhooks: its library's 5 min). Default 300. */
  toleranceSeconds?: number;
}

/** What every delivery's body has; the rest depends on `type` (docs/events.md). */
export interface WebhookEvent {
  id: string;
  type: string;
  app: string;
  [field: string]: unknown;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | readonly string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return typeof value === 'string' ? value : value?.[0];
}

function verifyGatewayV1(signature: string, rawBody: string, secret: string, toleranceSeconds: number): void {
  const parts = new Map(
    signature.split(',').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
  );
  const t = Number(parts.get('t'));
  if (!Number.isInteger(t)) throw new WebhookSignatureError('gateway-signature has no timestamp');
  if (Math.abs(Date.now() / 1000 - t) > toleranceSeconds)
    throw new WebhookSignatureError('gateway-signature timestamp outside the tolerance');
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(parts.get('v1') ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new WebhookSignatureError('gateway-signature does not match');
}

/**
 * Verifies one delivery over its raw body (the exact bytes received, before any JSON parsing) and
 * answers its parsed event; throws WebhookSignatureError when it does not verify. Standard Webhooks
 * (`webhook-*` headers, the default scheme) is checked by the `standardwebhooks` library; a
 * `Gateway-Signature` header (an endpoint set to `gateway-v1`) by HMAC-SHA256 of `<t>.<body>`.
 * `secret` is the endpoint's secret as configured (`whsec_…` or any other text).
 */
export function verifyWebhook(
  rawBody: string,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyWebhookOptions = {},
): WebhookEvent {
  const standard = ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((n) => header(headers, n));
  const [id, timestamp, signature] = standard;
  if (id !== undefined && timestamp !== undefined && signature !== undefined) {
    const hook = secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(secret, { format: 'raw' });
    try {
      hook.verify(rawBody, {
        'webhook-id': id,
        'webhook-timestamp': timestamp,
        'webhook-signature': signature,
      });
    } catch (error) {
      throw new WebhookSignatureError(error instanceof Error ? error.message : 'does not verify');
    }
  } else {
    const v1 = header(headers, 'gateway-signature');
    if (v1 === undefined) throw new WebhookSignatureError('no webhook-* headers and no gateway-signature');
    verifyGatewayV1(v1, rawBody, secret, options.toleranceSeconds ?? 300);
  }
  return JSON.parse(rawBody) as WebhookEvent;
}
