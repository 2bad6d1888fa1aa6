import { describe, expect, it } from 'vitest';
import { UpstreamProtocolError } from '../../src/stores/errors.js';
import { type StoreObserver, silentObserver } from '../../src/stores/observer.js';
import { isWalked, keysWalked, PageWalk, type WalkStart } from '../../src/stores/paging.js';

/** The one guarded pager (`stores/paging.ts`) over a scripted store: key asked → key answered. */

interface Page {
  continuationKey: string | null;
  asked: string | undefined;
}

function scripted(
  next: Record<string, string | null>,
  start: WalkStart = {},
  isKey?: (key: string) => boolean,
) {
  const asked: (string | undefined)[] = [];
  const events: string[] = [];
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  const observer: StoreObserver = {
    ...silentObserver,
    pagingLoop: (store, endpoint) => void events.push(`loop ${store} ${endpoint}`),
    pagingBudgetSpent: (store, endpoint) => void events.push(`budget ${store} ${endpoint}`),
  };
  const walk = new PageWalk<Page>(
    async (key) => {
      asked.push(key);
      const answer = next[key ?? ''];
      if (answer === undefined) throw new Error(`no page for ${key}`);
      return { continuationKey: answer, asked: key };
    },
    {
      store: 'onestore',
      endpoint: 'onestore.getVoidedPurchases',
      observer,
      logger: { debug() {}, warn: (obj, msg) => void lines.push({ obj, msg }) },
      scope: { deadlineAt: Number.POSITIVE_INFINITY, requestId: 'req-1' },
      isKey,
    },
    start,
  );
  return { walk, asked, events, lines };
}

async function drain(walk: PageWalk<Page>): Promise<unknown> {
  try {
    while ((await walk.next()) !== undefined);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('PageWalk', () => {
  it('follows keys to the last page', async () => {
    const { walk, asked } = scripted({ '': 'a', a: 'b', b: null });
    expect(await drain(walk)).toBeUndefined();
    expect(asked).toEqual([undefined, 'a', 'b']);
    expect(walk).toMatchObject({ done: true, budgetSpent: false, pagesRead: 3, continuationKey: undefined });
  });

  it("the document's example (a key answered with itself) ends at the second page", async () => {
    const { walk, asked, events, lines } = scripted({
      '': 'continuationKey',
      continuationKey: 'continuationKey',
    });
    const error = await drain(walk);
    expect(error).toBeInstanceOf(UpstreamProtocolError);
    expect(error).toMatchObject({
      store: 'onestore',
      endpoint: 'onestore.getVoidedPurchases',
      code: 'CONTINUATION_LOOP',
    });
    expect(asked).toEqual([undefined, 'continuationKey']);
    expect(events).toEqual(['loop onestore onestore.getVoidedPurchases']);
    expect(lines).toEqual([
      {
        obj: { store: 'onestore', endpoint: 'onestore.getVoidedPurchases', page: 2, requestId: 'req-1' },
        msg: 'the store repeated a continuationKey: walk ended',
      },
    ]);
    // The key itself (the store's opaque text) is in no line.
    expect(JSON.stringify(lines)).not.toContain('continuationKey"');
    // Asked again, the ended walk answers the same error without calling the store.
    await expect(walk.next()).rejects.toBe(error);
    expect(asked).toHaveLength(2);
  });

  it('a key given several pages before ends the walk too (a, b, c, a)', async () => {
    const { walk, asked } = scripted({ '': 'a', a: 'b', b: 'c', c: 'a' });
    expect(await drain(walk)).toMatchObject({ code: 'CONTINUATION_LOOP' });
    expect(asked).toEqual([undefined, 'a', 'b', 'c']);
  });

  it('a resumed walk knows the key it resumes from, and the keys of `walked`', async () => {
    const first = scripted({ '': 'a', a: 'b' }, {});
    await first.walk.next();
    await first.walk.next();
    expect(keysWalked(first.walk.walked)).toBe(2);
    expect(isWalked(first.walk.walked)).toBe(true);
    // A later request of the same walk (a Relay cursor) that the store sends back to `a`.
    const later = scripted(
      { b: 'a' },
      { continuationKey: 'b', walked: first.walk.walked, pagesRead: keysWalked(first.walk.walked) },
    );
    expect(await drain(later.walk)).toMatchObject({ code: 'CONTINUATION_LOOP' });
    expect(later.asked).toEqual(['b']);
    // Resumed from a saved key alone: that key answered again is a loop.
    const resumed = scripted({ k: 'k' }, { continuationKey: 'k' });
    expect(await drain(resumed.walk)).toMatchObject({ code: 'CONTINUATION_LOOP' });
  });

  it('reads at most its budget of pages, then stops with the key to resume from', async () => {
    const keys: Record<string, string | null> = { '': 'k1' };
    for (let i = 1; i < 10; i++) keys[`k${i}`] = `k${i + 1}`;
    const { walk, asked, events, lines } = scripted(keys, { maxPages: 3 });
    expect(await drain(walk)).toBeUndefined();
    expect(asked).toEqual([undefined, 'k1', 'k2']);
    expect(walk).toMatchObject({ done: false, budgetSpent: true, pagesRead: 3, continuationKey: 'k3' });
    expect(events).toEqual(['budget onestore onestore.getVoidedPurchases']);
    expect(lines.map((l) => l.msg)).toEqual(['page budget of the walk spent; the list goes on']);
    // Pages read before (a Relay walk's earlier requests) count.
    const later = scripted(keys, { continuationKey: 'k3', pagesRead: 3, maxPages: 3 });
    expect(await later.walk.next()).toBeUndefined();
    expect(later.asked).toEqual([]);
  });

  it('a key the client would not send back ends the walk at once, before it is handed out', async () => {
    const { walk, asked, events, lines } = scripted({ '': 'a', a: 'next page' }, {}, (key) =>
      /^[\x21-\x7e]{1,256}$/.test(key),
    );
    const error = await drain(walk);
    expect(error).toBeInstanceOf(UpstreamProtocolError);
    expect(error).toMatchObject({
      endpoint: 'onestore.getVoidedPurchases',
      code: 'CONTINUATION_KEY_REFUSED',
    });
    expect(asked).toEqual([undefined, 'a']);
    // The key to resume from is the last good one: the refused key is never saved or given out.
    expect(walk).toMatchObject({ done: false, continuationKey: 'a' });
    expect(events).toEqual([]);
    expect(lines.map((l) => [l.msg, l.obj.page])).toEqual([
      ['the store answered a continuationKey the client does not send: walk ended', 2],
    ]);
    await expect(walk.next()).rejects.toBe(error);
    expect(asked).toHaveLength(2);
  });

  it('isWalked refuses what no walk gives out', () => {
    expect(isWalked('')).toBe(true);
    expect(isWalked('AAAAAAAA')).toBe(true);
    expect(isWalked('AAAAAAA')).toBe(false);
    expect(isWalked('AAAAAAA=')).toBe(false);
    expect(isWalked('A'.repeat(8 * 3), 2)).toBe(false);
  });
});
