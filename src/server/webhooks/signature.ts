import { createHmac } from 'node:crypto';
import type { WebhookEndpoint } from '../../config/webhooks.js';

/** The old scheme's header (`signature: "gateway-v1"`): `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'gateway-signature';

/** How an endpoint's deliveries are signed (config `apps.<name>.webhooks[].signature`). */
export type SignatureScheme = WebhookEndpoint['signature'];

/**
 * The old scheme, as Stripe signs its webhooks: HMAC-SHA256 with the endpoint's secret (its text)
 * over `<t>.<raw body>`, `t` being the attempt's time in Unix seconds. A receiver recomputes it over
 * the bytes it got and refuses a `t` outside its tolerance (README, "Webhooks").
 */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

const WHSEC = 'whsec_';

/**
 * The HMAC key of the Standard Webhooks scheme: a secret in the specification's own form (`whsec_`
 * and base64) is its decoded bytes, so every maintained library takes it as it is; any other secret
 * is its UTF-8 bytes (a library then takes `whsec_` + base64 of it, or the text in its raw format).
 */
export function standardKey(secret: string): Buffer {
  return secret.startsWith(WHSEC)
    ? Buffer.from(secret.slice(WHSEC.length), 'base64')
    : Buffer.from(secret, 'utf8');
}

/**
 * The Standard Webhooks headers (https://www.standardwebhooks.com): `webhook-id` the event's id, so a
 * receiver's de-duplication by id works across retries and redeliveries as the specification means;
 * `webhook-timestamp` the attempt's Unix seconds; `webhook-signature` `v1,<base64 HMAC-SHA256>` over
 * `<id>.<timestamp>.<raw body>`.
 */
export function standardHeaders(secret: string, id: string, body: string, at: Date): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const mac = createHmac('sha256', standardKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${mac}` };
}

/** The signature headers of one attempt under the endpoint's scheme. */
export function signedHeaders(
  scheme: SignatureScheme,
  secret: string,
  eventId: string,
  body: string,
  at: Date,
): Record<string, string> {
  return scheme === 'standard'
    ? standardHeaders(secret, eventId, body, at)
    : { [SIGNATURE_HEADER]: signatureHeader(secret, body, at) };
}
