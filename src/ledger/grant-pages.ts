import { checkPageSize, decodeCursor, encodeCursor, type KeysetPosition } from './cursor.js';
import { checkText } from './errors.js';
import { GRANT_COLUMNS, type Grant, type GrantRow, type GrantStatus, toGrant } from './grant.js';
import type { LedgerDb } from './types.js';

// The ledger's keyset pages of grants (GrantStore.listGrants and listRevoked delegate here).

export interface GrantPage {
  grants: Grant[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** Which grants of an app a list holds; every field narrows it. */
export interface GrantFilter {
  /** One player's grants. Default: every player's. */
  userId?: string;
  /** Only grants in this status. Default: both. */
  status?: GrantStatus;
}

export interface PageRequest {
  /** Page size, 1 to MAX_PAGE_SIZE (500). */
  first: number;
  /** endCursor of the previous page; default: from the start. */
  after?: string;
}

/**
 * An app's grants matching `filter`, newest first by (createdAt, id); the cursor is the same for
 * every filter (a position in that order). Throws InvalidCursorError for a foreign cursor and
 * LedgerInputError for text the database cannot hold, before any query.
 */
export async function listGrants(
  db: LedgerDb,
  app: string,
  filter: GrantFilter,
  page: PageRequest,
): Promise<GrantPage> {
  const d = db.dialect;
  checkPageSize(page.first);
  checkText('app', app);
  if (filter.userId !== undefined) checkText('userId', filter.userId);
  const after = page.after === undefined ? null : decodeCursor('user', page.after);
  const params: unknown[] = [app, page.first + 1];
  const where = ['app = $1'];
  if (filter.userId !== undefined) {
    params.push(filter.userId);
    where.push(`user_id = $${params.length}`);
  }
  if (filter.status !== undefined) {
    params.push(filter.status);
    where.push(`status = $${params.length}`);
  }
  if (after !== null) {
    params.push(after.at, after.id);
    where.push(`(created_at, id) < (${d.time(`$${params.length - 1}`)}, ${d.text(`$${params.length}`)})`);
  }
  const rows = await db.query<GrantRow>(
    `SELECT ${GRANT_COLUMNS} FROM grants WHERE ${where.join(' AND ')}
     ORDER BY created_at DESC, id DESC LIMIT $2`,
    params,
  );
  return toPage(rows, page.first, (g) => encodeCursor('user', { at: g.createdAt, id: g.id }));
}

/** Grants revoked at or after `since`, oldest first by (revokedAt, id). Same cursor rules as listByUser. */
export async function listRevoked(
  db: LedgerDb,
  app: string,
  since: Date,
  page: PageRequest,
): Promise<GrantPage> {
  const d = db.dialect;
  checkPageSize(page.first);
  checkText('app', app);
  const after: KeysetPosition | null = page.after === undefined ? null : decodeCursor('revoked', page.after);
  const params: unknown[] = [app, since, page.first + 1];
  let keyset = '';
  if (after !== null) {
    params.push(after.at, after.id);
    keyset = `AND (revoked_at, id) > (${d.time('$4')}, ${d.text('$5')})`;
  }
  const rows = await db.query<GrantRow>(
    `SELECT ${GRANT_COLUMNS} FROM grants
     WHERE app = $1 AND revoked_at IS NOT NULL AND revoked_at >= ${d.time('$2')} ${keyset}
     ORDER BY revoked_at, id LIMIT $3`,
    params,
  );
  return toPage(rows, page.first, (g) =>
    encodeCursor('revoked', { at: g.revokedAt ?? new Date(0), id: g.id }),
  );
}

/** Rows were fetched with LIMIT first + 1: the extra one only says that another page exists. */
function toPage(rows: GrantRow[], first: number, cursorOf: (grant: Grant) => string): GrantPage {
  const grants = rows.slice(0, first).map(toGrant);
  const last = grants.at(-1);
  return { grants, hasNextPage: rows.length > first, endCursor: last === undefined ? null : cursorOf(last) };
}
