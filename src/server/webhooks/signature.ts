import { createHmac } from 'node:crypto';

/** The header that carries the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'gateway-signature';

/**
 * The signature of one attempt, as Stripe signs its webhooks: HMAC-SHA256 with the endpoint's
 * secret over `<t>.<raw body>`, `t` being the attempt's time in Unix seconds. A receiver recomputes
 * it over the bytes it got and refuses a `t` outside its tolerance, so a forged body or a replayed
 * request is refused (README, "Webhooks").
 */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
