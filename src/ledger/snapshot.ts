/**
 * The codec of an event's `data`: JSON in which every Date is written as `{"$date": ISO}` and read back
 * as a Date, so a snapshot of a domain object (a grant, a purchase record) comes back as the same
 * object the GraphQL types resolve. A plain string is never turned into a Date, whatever it looks like
 * (a developerPayload may read as an ISO time).
 */
export function encodeSnapshot(value: object): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, encoded: unknown) {
    // `encoded` is what Date.prototype.toJSON already made of it; the holder still has the Date.
    const original = this[key];
    return original instanceof Date ? { $date: original.toISOString() } : encoded;
  });
}

export function decodeSnapshot<T>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const keys = Object.keys(value);
      const tagged = (value as { $date?: unknown }).$date;
      if (keys.length === 1 && typeof tagged === 'string') return new Date(tagged);
    }
    return value;
  }) as T;
}
