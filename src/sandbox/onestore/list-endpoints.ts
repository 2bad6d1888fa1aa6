import type { Reply } from '../http-io.js';
import { OneStoreFailure } from './codes.js';
import type { AuthorizedCall, OneStoreDeps } from './deps.js';
import type { ManagedPurchase, MonthlyPurchase } from './model.js';
import { unconfirmedItem, voidedItem } from './wire.js';

const MAX_RESULTS = 100;
const KEY = /^(\d{1,15})_([A-Za-z0-9]{1,20})$/;
const MILLIS = /^\d{1,13}$/;

/**
 * Calendar months, the day clamped to the target month's last day: one month before 31 March is
 * 28 (29) February, not 3 March as plain `setUTCMonth` overflow would give.
 */
function shiftMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d.getTime();
}

interface Page {
  start: number;
  end: number;
  max: number;
  after?: { time: number; id: string };
}

/**
 * startTime/endTime/maxResults/continuationKey as the document states them: startTime at most one
 * month back; endTime not in the future; either alone sets the other one month away; maxResults
 * 1-100, default 100. Query times are read in the request market's time basis.
 */
function pageOf(call: AuthorizedCall, deps: OneStoreDeps): Page {
  const q = call.query;
  const bad: string[] = [];
  const time = (name: string): number | undefined => {
    const raw = q.get(name);
    if (raw === null || raw === '') return undefined;
    if (!MILLIS.test(raw)) {
      bad.push(name);
      return undefined;
    }
    return deps.time.fromWire(Number(raw), call.market);
  };
  let start = time('startTime');
  let end = time('endTime');
  const rawMax = q.get('maxResults');
  const max = rawMax === null || rawMax === '' ? MAX_RESULTS : Number(rawMax);
  if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS) bad.push('maxResults');
  const rawKey = q.get('continuationKey');
  const key = rawKey ? KEY.exec(rawKey) : null;
  if (rawKey && (!key || rawKey.length > 41)) bad.push('continuationKey');
  const now = call.now;
  if (start !== undefined && start < shiftMonths(now, -1)) bad.push('startTime');
  if (end !== undefined && end > now) bad.push('endTime');
  if (bad.length > 0) throw new OneStoreFailure('InvalidRequest', bad);
  if (start === undefined && end === undefined) end = now;
  start ??= shiftMonths(end ?? now, -1);
  end ??= shiftMonths(start, 1);
  if (start > end) throw new OneStoreFailure('InvalidRequest', ['startTime', 'endTime']);
  const after = key ? { time: Number(key[1]), id: key[2] ?? '' } : undefined;
  return { start, end, max, ...(after && { after }) };
}

/** Sorts by (time, id), skips past the continuation key, cuts a page and says where the next starts. */
function paginate<T>(items: T[], page: Page, keyOf: (item: T) => { time: number; id: string }) {
  const inWindow = items
    .map((item) => ({ item, key: keyOf(item) }))
    .filter(({ key }) => key.time >= page.start && key.time <= page.end)
    .sort((a, b) => a.key.time - b.key.time || (a.key.id < b.key.id ? -1 : a.key.id > b.key.id ? 1 : 0));
  const after = page.after;
  const rest = after
    ? inWindow.filter(({ key }) => key.time > after.time || (key.time === after.time && key.id > after.id))
    : inWindow;
  const slice = rest.slice(0, page.max);
  const last = slice.at(-1);
  const continuationKey = rest.length > page.max && last ? `${last.key.time}_${last.key.id}` : undefined;
  return { items: slice.map(({ item }) => item), ...(continuationKey && { continuationKey }) };
}

/** A list endpoint's answer: one page of `items` (see paginate) in wire form under `listName`. */
function pageReply<T>(
  listName: string,
  items: T[],
  page: Page,
  list: { keyOf: (item: T) => { time: number; id: string }; toWire: (item: T) => unknown },
): Reply {
  const { items: slice, continuationKey } = paginate(items, page, list.keyOf);
  return {
    status: 200,
    body: { ...(continuationKey && { continuationKey }), [listName]: slice.map(list.toWire) },
  };
}

/** Voided purchases of the app in both markets; each entry carries its marketCode. */
export function getVoidedPurchases(call: AuthorizedCall, deps: OneStoreDeps): Reply {
  const page = pageOf(call, deps);
  deps.state.settleApp(call.clientId, call.now);
  const entries = deps.state.voided.filter((v) => v.clientId === call.clientId);
  return pageReply('voidedPurchaseList', entries, page, {
    keyOf: (v) => ({ time: v.voidedTime, id: v.purchaseId }),
    toWire: (v) => voidedItem(v, deps.time, call.market),
  });
}

/** Purchased, neither acknowledged nor consumed: what the 3-day rule will cancel if left alone. */
export function getUnconfirmedPurchases(call: AuthorizedCall, deps: OneStoreDeps): Reply {
  const page = pageOf(call, deps);
  const open = deps.state
    .settleApp(call.clientId, call.now)
    .filter(
      (p): p is ManagedPurchase | MonthlyPurchase =>
        (p.type === 'inapp' &&
          p.purchaseState === 0 &&
          p.consumptionState === 0 &&
          p.acknowledgeState === 0) ||
        (p.type === 'auto' && p.lastPurchaseState === 0 && p.acknowledgeState === 0),
    );
  return pageReply('unconfirmedPurchaseList', open, page, {
    keyOf: (p) => ({ time: p.purchaseTime, id: p.purchaseToken }),
    toWire: (p) => unconfirmedItem(p, deps.time, call.market),
  });
}
