// @ts-check
/**
 * The support console's helpers and the shapes of its answers: served before console.js as one
 * script (console/assets.ts joins them), checked by tsc with it (tsconfig.json beside it). Every value
 * goes into the page as text (textContent), never as HTML.
 */
/** @typedef {{ code: string, message: string }} GqlError */
/** @typedef {{ hasNextPage: boolean, endCursor: string | null }} PageInfo */
/** @typedef {{ endpoint: string, status: string, attempts: number, lastStatus: number | null, lastError: string | null, deliveredAt: string | null, nextAttemptAt: string | null, event: { id: string } }} Delivery */
/** @typedef {{ id: string, type: string, occurredAt: string, store: string | null, productId: string | null, grant: { id: string, productId: string } | null, supportGrant: SupportGrant | null, entitlement: { id: string, active: boolean, expiresAt: string | null } | null }} GatewayEvent */
/** @typedef {{ id: string, store: string, productId: string, quantity: number, status: string, outcome: string | null, createdAt: string, revokedAt: string | null }} Grant */
/** @typedef {{ id: string, entitlement: string, since: string, until: string | null, reason: string, keyName: string, revokedAt: string | null, revokeReason: string | null }} SupportGrant */
/** @typedef {{ id: string, active: boolean, expiresAt: string | null, since: string, source: string, store: string | null, productId: string | null }} Entitlement */
/** @typedef {{ productId: string, store: string, state: string, expiresAt: string | null, willRenew: boolean | null, billingIssue: boolean | null }} PlayerSubscription */
/**
 * @template T
 * @typedef {{ edges: { node: T }[], pageInfo: PageInfo }} Connection
 */
/** @typedef {{ entitlements: Entitlement[], subscriptions: PlayerSubscription[], supportGrants: SupportGrant[], grants: unknown, events: unknown }} Player */

/**
 * The element with `id`, of the type asked for (the page is ours: a missing one is a bug).
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
function byId(id, type) {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`#${id} is missing`);
  return element;
}

/**
 * A union's member `typename`, as the console's operation selects it (the server holds the text), or
 * its error (any type implementing Error) thrown as its code and message.
 * @template T
 * @param {unknown} value
 * @param {string} typename
 * @returns {T}
 */
function member(value, typename) {
  const result = /** @type {{ __typename?: string, code?: string, message?: string } | null} */ (value);
  if (result?.__typename !== typename)
    throw new Error(`${result?.code ?? result?.__typename ?? 'no answer'}: ${result?.message ?? ''}`);
  return /** @type {T} */ (/** @type {unknown} */ (result));
}

/**
 * @param {HTMLElement} target
 * @param {string} text
 * @param {'ok' | 'error' | ''} kind
 */
function say(target, text, kind = '') {
  target.textContent = text;
  target.className = kind;
}

/**
 * @param {unknown} value
 * @returns {string}
 */
const text = (value) => (value === null || value === undefined ? '–' : String(value));

/**
 * One row of cells (text only) and, when given, one last cell holding `extra` (null: that cell empty).
 * @param {HTMLTableElement} table
 * @param {unknown[]} cells
 * @param {HTMLElement | null} [extra]
 */
function addRow(table, cells, extra) {
  const row = table.tBodies[0]?.insertRow() ?? table.insertRow();
  for (const cell of cells) row.insertCell().textContent = text(cell);
  if (extra !== undefined) row.insertCell().append(...(extra ? [extra] : []));
  return row;
}

/**
 * @param {HTMLTableElement} table
 * @param {string} [empty] a row saying so when the table stays empty
 */
function clear(table, empty) {
  const body = table.tBodies[0];
  if (body) body.replaceChildren();
  if (empty) {
    const row = body?.insertRow();
    const cell = row?.insertCell();
    if (cell) {
      cell.colSpan = table.tHead?.rows[0]?.cells.length ?? 1;
      cell.className = 'empty';
      cell.textContent = empty;
    }
  }
}

/** @param {HTMLTableElement} table */
const dropEmptyRow = (table) => table.tBodies[0]?.querySelector('td.empty')?.parentElement?.remove();

/**
 * @param {string} label
 * @param {() => void} onClick
 */
function button(label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

/**
 * A page's nodes; `more` shown when there is a next page.
 * @template T
 * @param {unknown} page
 * @param {string} typename
 * @param {HTMLButtonElement} more
 * @returns {{ nodes: T[], after: string | null }} its nodes, and the next page's cursor
 */
function paged(page, typename, more) {
  /** @type {Connection<T>} */
  const connection = member(page, typename);
  const info = connection.pageInfo;
  more.hidden = !info.hasNextPage;
  return { nodes: connection.edges.map((e) => e.node), after: info.hasNextPage ? info.endCursor : null };
}

/** @param {unknown} error */
const message = (error) => (error instanceof Error ? error.message : String(error));

/**
 * Runs `work`, saying in `target` what went wrong: a refusal, an error of the union, the network.
 * @param {HTMLElement} target
 * @param {() => Promise<void>} work
 */
async function attempt(target, work) {
  try {
    await work();
  } catch (error) {
    say(target, message(error), 'error');
  }
}
