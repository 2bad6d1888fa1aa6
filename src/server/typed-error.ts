/**
 * True when a union result in `data` is an error member (seen through its selected `__typename`).
 * Loops rather than `some`/`Object.values`: it walks every result, so it allocates nothing.
 */
export function hasTypedError(value: unknown, depth = 0): boolean {
  if (depth > 8 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (hasTypedError(item, depth + 1)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  const typename = record.__typename;
  if (typeof typename === 'string' && typename.endsWith('Error')) return true;
  for (const key in record) {
    if (Object.hasOwn(record, key) && hasTypedError(record[key], depth + 1)) return true;
  }
  return false;
}
