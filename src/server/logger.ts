import { createHash } from 'node:crypto';
import { type DestinationStream, type Logger, pino } from 'pino';

/** Keys whose values never reach a log line, at the top level or one object down. */
const SECRET_KEYS = [
  'authorization',
  '["x-api-key"]',
  'apiKey',
  'clientSecret',
  'client_secret',
  'accessToken',
  'access_token',
  'password',
];
/** Logged only as a short hash: enough to match lines of one purchase, useless to replay it. */
const TOKEN_KEYS = ['purchaseToken', 'purchase_token'];

const bothLevels = (keys: readonly string[]) =>
  keys.flatMap((key) => [
    key,
    `*${key.startsWith('[') ? '' : '.'}${key}`,
    `headers${key.startsWith('[') ? '' : '.'}${key}`,
  ]);

/** `sha256:` and the first 12 hex digits of the token's SHA-256. */
export function tokenFingerprint(token: unknown): string {
  return `sha256:${createHash('sha256').update(String(token), 'utf8').digest('hex').slice(0, 12)}`;
}

/**
 * The process logger: pino JSON lines with secrets censored and purchase tokens fingerprinted.
 * Today no code logs any of these (store log lines carry endpoints, statuses and codes only);
 * redaction is the second lock for a future line that would.
 *
 * @param options.level pino level; default `info`.
 * @param destination where lines go; default stdout.
 */
export function createLogger(options: { level?: string } = {}, destination?: DestinationStream): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: {
        paths: [...bothLevels(SECRET_KEYS), ...bothLevels(TOKEN_KEYS)],
        censor: (value, path) =>
          TOKEN_KEYS.includes(path.at(-1) ?? '') ? tokenFingerprint(value) : '[Redacted]',
      },
    },
    destination,
  );
}
