import { createHash } from 'node:crypto';
import { type StoreName, UpstreamProtocolError } from './errors.js';
import type { StoreLogger } from './logger.js';
import type { StoreObserver } from './observer.js';
import type { RequestScope } from './resilience/request-scope.js';

/**
 * Default most pages one walk reads: one run of the revocation sync per app and market, one Relay
 * walk of a ONE store list. At the store's 100 entries a page, 10,000 entries.
 */
export const DEFAULT_PAGE_BUDGET = 100;

/** The largest budget a walk takes: its cursor carries a digest per page (see `walked`). */
export const MAX_PAGE_BUDGET = 1_000;

/**
 * Bytes of SHA-256 kept per key: 6 bytes are 8 base64url characters, and two of 1,000 distinct keys
 * share a digest with odds of about 2e-9, so a genuine walk is not cut short by a false repeat.
 */
const DIGEST_BYTES = 6;
const DIGEST_CHARS = 8;
const WALKED = /^(?:[A-Za-z0-9_-]{8})*$/;

function digest(key: string): string {
  return createHash('sha256').update(key).digest().subarray(0, DIGEST_BYTES).toString('base64url');
}

/** Whether `text` is a `walked` value of at most `maxPages` keys (a cursor's field is checked with it). */
export function isWalked(text: string, maxPages = MAX_PAGE_BUDGET): boolean {
  return text.length <= maxPages * DIGEST_CHARS && WALKED.test(text);
}

/** How many keys a `walked` value holds: the pages a Relay walk read before its cursor's page. */
export function keysWalked(walked: string): number {
  return Math.floor(walked.length / DIGEST_CHARS);
}

/** Page of a continuationKey list: the store's key for the next page, null on the last one. */
export interface KeyedPage {
  continuationKey: string | null;
}

/**
 * Who the walk reports to (the store and endpoint it names, the client's observer and logger), and
 * the client's rule for the keys it sends back.
 */
export interface WalkReporting {
  store: StoreName;
  endpoint: string;
  observer: StoreObserver;
  logger: StoreLogger;
  /** The request the walk serves, whose id tags the log line. Default: none. */
  scope?: RequestScope | undefined;
  /**
   * Whether the client would send `key` back (ONE store: `isContinuationKey`). A key it would not
   * ends the walk at once: saved, or handed out in a cursor, it would fail every later resume.
   * Default: every key.
   */
  isKey?: ((key: string) => boolean) | undefined;
}

/** Where a walk starts, and what it already knows; all optional (a new walk from the first page). */
export interface WalkStart {
  /** The key the first page of this run is fetched with; undefined: the list's first page. */
  continuationKey?: string | undefined;
  /**
   * The digests of every key this walk was given before (`PageWalk.walked`, kept by a Relay
   * cursor): a key among them ends the walk. Default: the `continuationKey`'s alone.
   */
  walked?: string | undefined;
  /** Pages this run already read (a Relay walk spans requests); they count towards its budget. Default 0. */
  pagesRead?: number | undefined;
  /** Most pages this run reads. Default {@link DEFAULT_PAGE_BUDGET}. */
  maxPages?: number | undefined;
}

/**
 * The one guarded walk over a store list that pages with `continuationKey` (ONE store's voided and
 * unconfirmed purchases; NHN Cloud's and Gamebase's unconsumed lists answer in one piece and have no
 * walk). `next()` reads one page at a time, so the caller can save progress between pages.
 *
 * A store that answers a key it gave before in this walk (not only the last one) would be read
 * forever: the ONE store document's own example answers do it (`"continuationKey":
 * "continuationKey"`). That ends the walk with an `UpstreamProtocolError` (code
 * `CONTINUATION_LOOP`) naming the endpoint, counted by the observer and logged. So does a key the
 * client would not send back (code `CONTINUATION_KEY_REFUSED`, logged). A budget of pages bounds
 * each run: when it is spent `next()` answers undefined with `budgetSpent` set and the key to resume
 * from in `continuationKey`.
 */
export class PageWalk<P extends KeyedPage> {
  readonly #fetch: (continuationKey: string | undefined) => Promise<P>;
  readonly #report: WalkReporting;
  readonly #seen = new Set<string>();
  readonly #maxPages: number;
  #key: string | undefined;
  #pagesRead: number;
  #done = false;
  /** The walk's end by a repeated or refused key: thrown again by every later `next()`, with no store call. */
  #failed: UpstreamProtocolError | undefined;
  #budgetReported = false;

  constructor(
    fetch: (continuationKey: string | undefined) => Promise<P>,
    report: WalkReporting,
    start: WalkStart = {},
  ) {
    this.#fetch = fetch;
    this.#report = report;
    this.#maxPages = start.maxPages ?? DEFAULT_PAGE_BUDGET;
    this.#key = start.continuationKey;
    this.#pagesRead = start.pagesRead ?? 0;
    const walked = start.walked ?? '';
    for (let i = 0; i < walked.length; i += DIGEST_CHARS) this.#seen.add(walked.slice(i, i + DIGEST_CHARS));
    if (this.#key !== undefined) this.#seen.add(digest(this.#key));
  }

  /** The key the next page is fetched with; undefined before the first page and after the last. */
  get continuationKey(): string | undefined {
    return this.#key;
  }

  /** The store answered the last page (no continuationKey). */
  get done(): boolean {
    return this.#done;
  }

  /** This run read its budget of pages and the list goes on: resume from `continuationKey`. */
  get budgetSpent(): boolean {
    return !this.#done && this.#pagesRead >= this.#maxPages;
  }

  /** Pages this run has read, those of `WalkStart.pagesRead` included. */
  get pagesRead(): number {
    return this.#pagesRead;
  }

  /** Digests of every key this walk was given, for a cursor to carry to the walk's next request. */
  get walked(): string {
    return [...this.#seen].join('');
  }

  /** The next page; undefined when the list ended or this run's budget is spent (no store call then). */
  async next(): Promise<P | undefined> {
    if (this.#failed) throw this.#failed;
    if (this.#done) return undefined;
    if (this.budgetSpent) {
      this.#reportBudget();
      return undefined;
    }
    const page = await this.#fetch(this.#key);
    this.#pagesRead++;
    const key = page.continuationKey;
    if (key === null) {
      this.#done = true;
      this.#key = undefined;
      return page;
    }
    if (this.#report.isKey && !this.#report.isKey(key)) {
      this.#failed = this.#refusedKey();
      throw this.#failed;
    }
    const d = digest(key);
    if (this.#seen.has(d)) {
      this.#failed = this.#loop();
      throw this.#failed;
    }
    this.#seen.add(d);
    this.#key = key;
    return page;
  }

  #loop(): UpstreamProtocolError {
    const { store, endpoint, observer, logger, scope } = this.#report;
    observer.pagingLoop(store, endpoint);
    // The key itself is the store's opaque text: not logged, like every other upstream value.
    logger.warn(
      { store, endpoint, page: this.#pagesRead, requestId: scope?.requestId },
      'the store repeated a continuationKey: walk ended',
    );
    return new UpstreamProtocolError({
      store,
      endpoint,
      code: 'CONTINUATION_LOOP',
      message: `${endpoint}: page ${this.#pagesRead} repeated a continuationKey this walk was given before`,
    });
  }

  #refusedKey(): UpstreamProtocolError {
    const { store, endpoint, logger, scope } = this.#report;
    logger.warn(
      { store, endpoint, page: this.#pagesRead, requestId: scope?.requestId },
      'the store answered a continuationKey the client does not send: walk ended',
    );
    return new UpstreamProtocolError({
      store,
      endpoint,
      code: 'CONTINUATION_KEY_REFUSED',
      message: `${endpoint}: page ${this.#pagesRead} answered a continuationKey outside the client's rule`,
    });
  }

  #reportBudget(): void {
    if (this.#budgetReported) return;
    this.#budgetReported = true;
    const { store, endpoint, observer, logger, scope } = this.#report;
    observer.pagingBudgetSpent(store, endpoint);
    logger.warn(
      { store, endpoint, pages: this.#pagesRead, requestId: scope?.requestId },
      'page budget of the walk spent; the list goes on',
    );
  }
}
