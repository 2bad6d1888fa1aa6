/**
 * The one codec of the opaque cursors handed to clients (the ledger's grant lists, the store lists'
 * Relay cursors, events, webhook deliveries): base64url of text, or of JSON. Each list keeps its own
 * content and checks; this is only the wrapping, so every cursor ever given out decodes as before.
 * It lives in `vocabulary/` (imports nothing) because the ledger and GraphQL both use it.
 */

/** base64url (no padding) of `text`'s UTF-8 bytes. */
export function encodeCursorText(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * The text inside `cursor`. Lenient like Node's decoder (characters outside the alphabet are
 * skipped); a list that refuses them checks {@link isCursorShaped} first.
 */
export function decodeCursorText(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

/** base64url of `value` as JSON. */
export function encodeCursorJson(value: unknown): string {
  return encodeCursorText(JSON.stringify(value));
}

/** The JSON value inside `cursor`; throws SyntaxError when it holds no JSON. */
export function decodeCursorJson(cursor: string): unknown {
  return JSON.parse(decodeCursorText(cursor));
}

/** Non-empty, at most `maxLength` characters, all of the base64url alphabet (no padding). */
export function isCursorShaped(cursor: string, maxLength: number): boolean {
  return cursor.length > 0 && cursor.length <= maxLength && /^[A-Za-z0-9_-]+$/.test(cursor);
}
