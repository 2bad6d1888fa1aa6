import { checkPageSize, decodeCursor, encodeCursor } from './cursor.js';
import { checkText } from './errors.js';
import { type EventRow, type EventStore, eventColumns, type LedgerEvent, toEvent } from './events.js';
import { GRANT_COLUMNS, type Grant, type GrantRow, toGrant } from './grant.js';
import type { GrantPage } from './grant-pages.js';
import {
  SUPPORT_GRANT_COLUMNS,
  type SupportGrant,
  type SupportGrantRow,
  toSupportGrant,
} from './support-grants.js';
import {
  type TrackedRow,
  type TrackedSubscription,
  toTracked,
  trackedColumns,
} from './tracked-subscriptions.js';
import type { LedgerDb } from './types.js';

/**
 * The ledger's reads of players (`player`, `players`: docs/entitlements.md). Each method serves many
 * players of one app in ONE statement, so a batch of 100 players costs one round trip per kind of
 * read, not 100. Every page is a keyset page on an index: grants on `grants_user` (app, user_id,
 * created_at, id); events through the player's grant ids (an event's subject) and `events`' primary key.
 */

/** Most players one statement reads (the `players` field's own cap). */
export const MAX_PLAYERS = 100;

/** One player's page of a batch; `after` is the endCursor of the previous page. */
export interface PlayerPageRequest {
  userId: string;
  first: number;
  after?: string;
}

/** Which products' grants {@link PlayerReads.grantsFor} reads (the catalogue's). */
export interface ProductMatch {
  /** ONE store productIds, NHN Cloud marketItemIds, Gamebase gamebaseProductIds (a grant's productId). */
  productIds: readonly string[];
  /** NHN Cloud itemSeqs (a grant's storeIds.itemSeq). */
  itemSeqs: readonly string[];
}

export interface PlayerEventPage {
  events: LedgerEvent[];
  hasNextPage: boolean;
}

type Numbered<R> = R & { page_index: number | string };

export class PlayerReads {
  constructor(
    /** The ledger, or one of its transactions with the ledger's kind and dialect. */
    private readonly db: Pick<LedgerDb, 'kind' | 'dialect' | 'query'>,
    private readonly events: EventStore,
  ) {}

  /** The SETTLED grants (revoked ones too) of `userIds` for the products of `match`, oldest first. */
  async grantsFor(app: string, userIds: readonly string[], match: ProductMatch): Promise<Grant[]> {
    const params = this.#players(app, userIds);
    if (params === null || (match.productIds.length === 0 && match.itemSeqs.length === 0)) return [];
    const users = marks(params, userIds);
    const conditions: string[] = [];
    if (match.productIds.length > 0) conditions.push(`product_id IN (${marks(params, match.productIds)})`);
    if (match.itemSeqs.length > 0)
      conditions.push(
        `(store = 'NHN_CLOUD' AND ${this.db.dialect.jsonText('store_ids', 'itemSeq')} IN (${marks(params, match.itemSeqs)}))`,
      );
    const rows = await this.db.query<GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM grants
       WHERE app = $1 AND user_id IN (${users}) AND status = 'SETTLED' AND (${conditions.join(' OR ')})
       ORDER BY created_at, id`,
      params,
    );
    return rows.map(toGrant);
  }

  /**
   * The SETTLED period grants of `userIds`' subscriptions (ONE store SUBSCRIPTION and MONTHLY, Gamebase
   * AUTO_RENEWABLE: a grant with no store change whose store ids keep the period's expiry), oldest first.
   */
  async subscriptionGrants(app: string, userIds: readonly string[]): Promise<Grant[]> {
    const params = this.#players(app, userIds);
    if (params === null) return [];
    const d = this.db.dialect;
    const rows = await this.db.query<GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM grants
       WHERE app = $1 AND user_id IN (${marks(params, userIds)}) AND status = 'SETTLED'
         AND ((store = 'ONESTORE' AND ${d.jsonText('store_ids', 'kind')} IN ('SUBSCRIPTION', 'MONTHLY'))
           OR (store = 'GAMEBASE' AND action = 'NONE' AND ${d.jsonText('store_ids', 'expiryTime')} IS NOT NULL))
       ORDER BY created_at, id`,
      params,
    );
    return rows.map(toGrant);
  }

  /** The support grants (revoked ones too) of `userIds`, oldest first, on `support_grants_user`. */
  async supportGrantsFor(app: string, userIds: readonly string[]): Promise<SupportGrant[]> {
    const params = this.#players(app, userIds);
    if (params === null) return [];
    const rows = await this.db.query<SupportGrantRow>(
      `SELECT ${SUPPORT_GRANT_COLUMNS} FROM support_grants
       WHERE app = $1 AND user_id IN (${marks(params, userIds)})
       ORDER BY starts_at, id`,
      params,
    );
    return rows.map(toSupportGrant);
  }

  /** The tracked subscriptions (the scheduler's table) of `userIds`, on `tracked_subscriptions_user`. */
  async trackedFor(app: string, userIds: readonly string[]): Promise<TrackedSubscription[]> {
    const params = this.#players(app, userIds);
    if (params === null) return [];
    const rows = await this.db.query<TrackedRow>(
      `SELECT ${trackedColumns(this.db)} FROM tracked_subscriptions
       WHERE app = $1 AND user_id IN (${marks(params, userIds)})`,
      params,
    );
    return rows.map(toTracked);
  }

  /** A page of each request's player's grants, newest first (the `grants(userId)` order and cursor). */
  async grantPages(app: string, requests: readonly PlayerPageRequest[]): Promise<GrantPage[]> {
    const d = this.db.dialect;
    const params = this.#pages(app, requests);
    const selects = requests.map((request, index) => {
      const where = [`app = $1`, `user_id = $${params.push(request.userId)}`];
      if (request.after !== undefined) {
        const after = decodeCursor('user', request.after);
        params.push(after.at, after.id);
        where.push(`(created_at, id) < (${d.time(`$${params.length - 1}`)}, ${d.text(`$${params.length}`)})`);
      }
      return `SELECT * FROM (SELECT ${GRANT_COLUMNS}, ${index} AS page_index FROM grants
        WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${request.first + 1}) AS p${index}`;
    });
    // The outer ORDER BY, not each branch's, orders the answer: UNION ALL promises no order, and the
    // database's collation of ids (a tie on created_at) must be the one the keyset compares with.
    const rows = await this.db.query<Numbered<GrantRow>>(
      `${selects.join('\nUNION ALL\n')}\nORDER BY page_index, created_at DESC, id DESC`,
      params,
    );
    return requests.map((request, index) => {
      const own = rows.filter((row) => Number(row.page_index) === index);
      const grants = own.slice(0, request.first).map(toGrant);
      const last = grants.at(-1);
      return {
        grants,
        hasNextPage: own.length > request.first,
        endCursor: last === undefined ? null : encodeCursor('user', { at: last.createdAt, id: last.id }),
      };
    });
  }

  /**
   * A page of each request's player's events, newest first: the events whose subject is one of the
   * player's grants (GRANT_*, SUBSCRIPTION_PERIOD_REFUNDED), support grants (SUPPORT_GRANT_*) or the
   * player (ENTITLEMENT_*, {@link playerSubject}). `after` is a seq (decimal) here.
   */
  async eventPages(app: string, requests: readonly PlayerPageRequest[]): Promise<PlayerEventPage[]> {
    const params = this.#pages(app, requests);
    const selects = requests.map((request, index) => {
      const user = `$${params.push(request.userId)}`;
      const own = `$${params.push(playerSubject(request.userId))}`;
      const before = request.after === undefined ? '' : `AND seq < $${params.push(Number(request.after))}`;
      return `SELECT * FROM (SELECT ${eventColumns(this.db.kind)}, ${index} AS page_index FROM events
        WHERE app = $1 ${before}
          AND (subject IN (SELECT id FROM grants WHERE app = $1 AND user_id = ${user}
            UNION ALL SELECT id FROM support_grants WHERE app = $1 AND user_id = ${user}) OR subject = ${own})
        ORDER BY seq DESC LIMIT ${request.first + 1}) AS p${index}`;
    });
    const rows = await this.db.query<Numbered<EventRow>>(
      `${selects.join('\nUNION ALL\n')}\nORDER BY page_index, seq DESC`,
      params,
    );
    return requests.map((request, index) => {
      const own = rows
        .filter((row) => Number(row.page_index) === index)
        .map((row) => toEvent(row, this.events.snapshots));
      return { events: own.slice(0, request.first), hasNextPage: own.length > request.first };
    });
  }

  /** The statement's first parameter (the app), the players checked; null when there are none. */
  #players(app: string, userIds: readonly string[]): unknown[] | null {
    checkText('app', app);
    if (userIds.length > MAX_PLAYERS) throw new RangeError(`at most ${MAX_PLAYERS} players per read`);
    for (const userId of userIds) checkText('userId', userId);
    return userIds.length === 0 ? null : [app];
  }

  #pages(app: string, requests: readonly PlayerPageRequest[]): unknown[] {
    checkText('app', app);
    if (requests.length === 0 || requests.length > MAX_PLAYERS)
      throw new RangeError(`1 to ${MAX_PLAYERS} pages per read`);
    for (const request of requests) {
      checkText('userId', request.userId);
      checkPageSize(request.first);
    }
    return [app];
  }
}

/** The subject of a player's entitlement events: deliveries of one player keep their order. */
export function playerSubject(userId: string): string {
  return `player:${userId}`;
}

/** `$n` placeholders for `values`, appended to `params`. */
function marks(params: unknown[], values: readonly unknown[]): string {
  return values.map((value) => `$${params.push(value)}`).join(', ');
}
