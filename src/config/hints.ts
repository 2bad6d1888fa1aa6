import type { z } from 'zod';
import { STORE_NAMES } from '../vocabulary/stores.js';

/** Top-level sections; an app's section holding one was meant for the top level. */
const TOP_LEVEL = new Set([
  'apiKeys',
  'ledger',
  'limits',
  'rateLimits',
  'eventStreams',
  'cors',
  'breaker',
  'bulkhead',
]);
const PER_APP: ReadonlySet<string> = new Set([...STORE_NAMES, 'entitlements']);

const pathOf = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(root)';

/**
 * A config problem in words, with where the section belongs when it is in the wrong place: the most
 * common mistake is pasting an app's `"webhooks": [ … ]` (its endpoints) or a store section at the top
 * level, where zod alone says only "expected object, received array" or "unrecognized key".
 */
export function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const at = pathOf(issue.path);
  const hint = hintOf(issue, raw);
  return hint ? `${at}: ${issue.message} (${hint})` : `${at}: ${issue.message}`;
}

function hintOf(issue: z.core.$ZodIssue, raw: unknown): string | null {
  const [first, second] = issue.path;
  if (issue.path.length === 1 && first === 'webhooks' && Array.isArray(field(raw, 'webhooks')))
    return 'a list of endpoints belongs under apps.<name>.webhooks; the top-level webhooks object holds delivery settings';
  if (issue.code !== 'unrecognized_keys') return null;
  const keys = issue.keys;
  if (issue.path.length === 0) {
    const misplaced = keys.filter((k) => PER_APP.has(k));
    if (misplaced.length > 0) return `${misplaced.join(', ')} belongs under apps.<name>`;
  }
  if (issue.path.length === 2 && first === 'apps' && typeof second === 'string') {
    const misplaced = keys.filter((k) => TOP_LEVEL.has(k));
    if (misplaced.length > 0) return `${misplaced.join(', ')} belongs at the top level, beside apps`;
  }
  return null;
}

const field = (raw: unknown, key: string): unknown =>
  typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[key] : undefined;
