import { UpstreamProtocolError } from '../errors.js';
import type { ListQuery } from './inputs.js';

interface Page {
  continuationKey: string | null;
}

/**
 * Walks `continuationKey` pages until the store stops returning one. A key seen twice would loop
 * forever, so it ends the walk with a protocol error instead.
 */
export async function* pages<P extends Page>(
  endpoint: string,
  query: ListQuery,
  fetchPage: (query: ListQuery) => Promise<P>,
): AsyncGenerator<P> {
  const seen = new Set<string>();
  let continuationKey = query.continuationKey;
  for (;;) {
    const page = await fetchPage(continuationKey === undefined ? query : { ...query, continuationKey });
    yield page;
    if (page.continuationKey === null) return;
    if (seen.has(page.continuationKey)) {
      throw new UpstreamProtocolError({
        store: 'onestore',
        endpoint,
        code: 'CONTINUATION_LOOP',
        message: `${endpoint}: the store repeated a continuationKey`,
      });
    }
    seen.add(page.continuationKey);
    continuationKey = page.continuationKey;
  }
}
