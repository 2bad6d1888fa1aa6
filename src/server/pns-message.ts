import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { z } from 'zod';

/**
 * ONE store's payment notification (PNS), v21 message (ONE store developer guide, "v21 PNS";
 * fields as in the team's seeds README). Only what the gateway uses is required; the rest is
 * checked for type and size when present, and fields not listed are allowed (ONE store adds
 * some over versions) and stay part of the signed bytes.
 */
export const pnsMessageSchema = z.object({
  msgVersion: z.string().min(1).max(16),
  clientId: z.string().min(1).max(128),
  productId: z.string().min(1).max(150),
  messageType: z.string().min(1).max(64).optional(),
  purchaseId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ -'),
  developerPayload: z.string().max(200).nullable().optional(),
  purchaseTimeMillis: z.number().int().nonnegative().optional(),
  purchaseState: z.enum(['COMPLETED', 'CANCELED']),
  price: z.string().max(32).optional(),
  priceCurrencyCode: z.string().max(8).optional(),
  productName: z.string().max(200).optional(),
  paymentTypeList: z
    .array(
      z.object({
        paymentMethod: z.string().max(64),
        amount: z.union([z.string().max(32), z.number()]),
      }),
    )
    .max(20)
    .optional(),
  billingKey: z.string().max(512).optional(),
  isTestMdn: z.boolean().optional(),
  environment: z.enum(['SANDBOX', 'COMMERCIAL']).optional(),
  marketCode: z.enum(['MKT_ONE', 'MKT_GLB']),
  /** Base64 RSA signature; absent means unsigned (refused with 401). */
  signature: z
    .string()
    .regex(/^[A-Za-z0-9+/]{1,2048}={0,2}$/, 'base64')
    .optional(),
});

export type PnsMessage = z.infer<typeof pnsMessageSchema>;

/** A JSON value with every object's keys in code-point order, recursively. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  // defineProperty, not assignment: a member named "__proto__" (JSON.parse makes it an own
  // property) must stay a member, or it would drop out of the signed bytes unnoticed.
  for (const key of Object.keys(value).sort())
    Object.defineProperty(out, key, {
      value: sortedKeys((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

/**
 * The bytes the signature is taken to cover: the message as received, without its `signature`
 * member, serialized as JSON with every object's keys sorted (code-point order), no whitespace,
 * UTF-8; numbers and strings as `JSON.stringify` writes them (for the message's integers and
 * plain strings this is RFC 8785's canonical form).
 *
 * NOT CHECKED AGAINST A LIVE STORE. ONE store publishes the algorithm (SHA512withRSA with the
 * app's licence key) but the pages read for this gateway did not show which bytes its PNS signs;
 * this is the gateway's choice, and the sandbox signs the same way. If a live notification fails
 * here, this function is the one place to change.
 */
export function signedBytes(message: Record<string, unknown>): Buffer {
  const { signature: _signature, ...rest } = message;
  return Buffer.from(JSON.stringify(sortedKeys(rest)), 'utf8');
}

/** The app's licence key (base64 SPKI DER, validated when the config was loaded) as a key object. */
export function licenceKey(base64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
}

/** SHA512withRSA (RSASSA-PKCS1-v1_5 over SHA-512) of {@link signedBytes}; false for any malformed signature. */
export function verifySignature(
  message: Record<string, unknown>,
  signature: string,
  key: KeyObject,
): boolean {
  try {
    return verify('sha512', signedBytes(message), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
