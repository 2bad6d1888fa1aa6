// @ts-check
/**
 * The support console's page (served at /console by console/plugin.ts). Plain JavaScript, no build
 * step: tsc checks it through these JSDoc types (tsconfig.json beside it, `npm run typecheck`).
 * Every value is put in the page as text (textContent), never as HTML: a product id or a reason is
 * whatever a store or a person wrote. The API key lives in sessionStorage (this tab only, gone when
 * it closes), never in the URL.
 */

const KEY_STORAGE = 'gateway-console-key';
const DAY_MS = 86_400_000;

const el = {
  lookup: byId('lookup', HTMLFormElement),
  key: byId('key', HTMLInputElement),
  app: byId('app', HTMLInputElement),
  user: byId('user', HTMLInputElement),
  status: byId('status', HTMLParagraphElement),
  player: byId('player', HTMLElement),
  title: byId('player-title', HTMLHeadingElement),
  entitlements: byId('entitlements', HTMLTableElement),
  catalogue: byId('catalogue', HTMLDataListElement),
  grant: byId('grant', HTMLFormElement),
  grantEntitlement: byId('grant-entitlement', HTMLInputElement),
  grantDays: byId('grant-days', HTMLInputElement),
  grantUntil: byId('grant-until', HTMLInputElement),
  grantReason: byId('grant-reason', HTMLInputElement),
  grantResult: byId('grant-result', HTMLParagraphElement),
  supportGrants: byId('support-grants', HTMLTableElement),
  revoke: byId('revoke', HTMLFormElement),
  revokeId: byId('revoke-id', HTMLElement),
  revokeReason: byId('revoke-reason', HTMLInputElement),
  revokeCancel: byId('revoke-cancel', HTMLButtonElement),
  revokeResult: byId('revoke-result', HTMLParagraphElement),
  subscriptions: byId('subscriptions', HTMLTableElement),
  grants: byId('grants', HTMLTableElement),
  moreGrants: byId('more-grants', HTMLButtonElement),
  events: byId('events', HTMLTableElement),
  moreEvents: byId('more-events', HTMLButtonElement),
};

/** The player on screen, the cursors of the next pages, the undelivered webhooks by event id. */
const state = {
  app: '',
  userId: '',
  /** @type {string | null} */ grantsAfter: null,
  /** @type {string | null} */ eventsAfter: null,
  /** @type {Map<string, Delivery[]>} */ deliveries: new Map(),
};

/**
 * Runs one of the console's operations (the server knows its text; the page names it).
 * @param {string} operationName
 * @param {Record<string, unknown>} variables
 * @returns {Promise<Record<string, unknown>>} the operation's data
 */
async function run(operationName, variables) {
  const response = await fetch('/console/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${el.key.value}` },
    body: JSON.stringify({ operationName, variables }),
  });
  /** @type {{ data?: Record<string, unknown> | null, errors?: { message: string }[] }} */
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(`HTTP ${response.status}`);
  }
  const first = body.errors?.[0];
  if (first) throw new Error(first.message);
  if (!response.ok || !body.data) throw new Error(`HTTP ${response.status}`);
  return body.data;
}

/** @param {string} id */
function askRevoke(id) {
  el.revoke.hidden = false;
  el.revokeId.textContent = id;
  el.revokeReason.value = '';
  el.revokeReason.focus();
}

/** @param {Grant[]} grants */
function showGrants(grants) {
  dropEmptyRow(el.grants);
  for (const g of grants) {
    const revoke = g.revokedAt === null ? button('Revoke', () => askRevoke(g.id)) : null;
    addRow(
      el.grants,
      [g.id, g.store, g.productId, g.quantity, g.status, g.outcome, g.createdAt, g.revokedAt],
      revoke,
    );
  }
}

/** @param {GatewayEvent} event */
function deliveryText(event) {
  const found = state.deliveries.get(event.id) ?? [];
  return found
    .map((d) => `${d.endpoint}: ${d.status}, ${d.attempts} attempts${d.lastError ? `, ${d.lastError}` : ''}`)
    .join('; ');
}

/** @param {GatewayEvent[]} events */
function showEvents(events) {
  dropEmptyRow(el.events);
  for (const e of events) {
    const cell = document.createElement('span');
    const row = addRow(el.events, [
      e.type,
      e.occurredAt,
      // ENTITLEMENT_* events name the entitlement, as support grants do.
      e.productId ?? e.grant?.productId ?? e.supportGrant?.entitlement ?? e.entitlement?.id,
      e.grant?.id ?? e.supportGrant?.id,
      deliveryText(e) || null,
    ]);
    row.dataset.eventId = e.id;
    cell.append(button('Redeliver', () => redeliver(e, row)));
    row.insertCell().append(cell);
  }
}

/**
 * @param {unknown} page
 * @returns {Grant[]}
 */
function grantsPage(page) {
  /** @type {{ nodes: Grant[], after: string | null }} */
  const { nodes, after } = paged(page, 'GrantConnection', el.moreGrants);
  state.grantsAfter = after;
  return nodes;
}

/**
 * @param {unknown} page
 * @returns {GatewayEvent[]}
 */
function eventsPage(page) {
  /** @type {{ nodes: GatewayEvent[], after: string | null }} */
  const { nodes, after } = paged(page, 'GatewayEventConnection', el.moreEvents);
  state.eventsAfter = after;
  return nodes;
}

/**
 * @param {GatewayEvent} event
 * @param {HTMLTableRowElement} row
 */
async function redeliver(event, row) {
  try {
    const data = await run('ConsoleRedeliver', { app: state.app, eventId: event.id });
    /** @type {{ deliveries: Delivery[] }} */
    const result = member(data.redeliverEvent, 'RedeliverEventSuccess');
    state.deliveries.set(event.id, result.deliveries);
    const cell = row.cells[4];
    if (cell) cell.textContent = `queued again: ${deliveryText(event) || 'no endpoint takes this type'}`;
  } catch (error) {
    say(el.status, `Redeliver: ${message(error)}`, 'error');
  }
}

async function loadDeliveries() {
  state.deliveries.clear();
  const data = await run('ConsoleDeliveries', { app: state.app });
  for (const page of [data.dead, data.pending]) {
    /** @type {{ edges: { node: Delivery }[] }} */
    const connection = member(page, 'WebhookDeliveryConnection');
    for (const { node } of connection.edges) {
      const list = state.deliveries.get(node.event.id) ?? [];
      list.push(node);
      state.deliveries.set(node.event.id, list);
    }
  }
}

/** The player's whole first page: entitlements, subscriptions, support grants, grants, events. */
async function lookUp() {
  const variables = { app: state.app, userId: state.userId };
  const [data] = await Promise.all([run('ConsolePlayer', variables), loadDeliveries()]);
  /** @type {Player} */
  const p = member(data.player, 'Player');
  el.title.textContent = `${state.userId} in ${state.app}`;
  clear(el.entitlements, 'none');
  clear(el.subscriptions, 'none');
  clear(el.supportGrants, 'none');
  clear(el.grants, 'none');
  clear(el.events, 'none');
  for (const e of p.entitlements) {
    dropEmptyRow(el.entitlements);
    addRow(el.entitlements, [
      e.id,
      e.active,
      e.expiresAt,
      e.since,
      e.source,
      e.store,
      e.productId,
    ]).dataset.entitlement = e.id;
  }
  el.catalogue.replaceChildren(
    ...p.entitlements.map((e) => Object.assign(document.createElement('option'), { value: e.id })),
  );
  for (const s of p.subscriptions) {
    dropEmptyRow(el.subscriptions);
    addRow(el.subscriptions, [s.productId, s.store, s.state, s.expiresAt, s.willRenew, s.billingIssue]);
  }
  for (const g of p.supportGrants) {
    dropEmptyRow(el.supportGrants);
    const revoke = g.revokedAt === null ? button('Revoke', () => askRevoke(g.id)) : null;
    addRow(
      el.supportGrants,
      [
        g.id,
        g.entitlement,
        g.since,
        g.until,
        g.reason,
        g.keyName,
        g.revokedAt && `${g.revokedAt}: ${text(g.revokeReason)}`,
      ],
      revoke,
    );
  }
  showGrants(grantsPage(p.grants));
  showEvents(eventsPage(p.events));
  el.player.hidden = false;
}

el.lookup.addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY_STORAGE, el.key.value);
  state.app = el.app.value.trim();
  state.userId = el.user.value.trim();
  el.player.hidden = true;
  say(el.status, 'Looking up…');
  void attempt(el.status, async () => {
    await lookUp();
    say(el.status, `Loaded ${state.userId}.`, 'ok');
  });
});

el.moreGrants.addEventListener('click', () =>
  attempt(el.status, async () => {
    const data = await run('ConsoleGrants', {
      app: state.app,
      userId: state.userId,
      grantsAfter: state.grantsAfter,
    });
    /** @type {{ grants: unknown }} */
    const p = member(data.player, 'Player');
    showGrants(grantsPage(p.grants));
  }),
);

el.moreEvents.addEventListener('click', () =>
  attempt(el.status, async () => {
    const data = await run('ConsoleEvents', {
      app: state.app,
      userId: state.userId,
      eventsAfter: state.eventsAfter,
    });
    /** @type {{ events: unknown }} */
    const p = member(data.player, 'Player');
    showEvents(eventsPage(p.events));
  }),
);

/**
 * The grant's end: the UTC time given, else now + the days given, else null (forever).
 * @returns {string | null}
 */
function grantUntil() {
  const until = el.grantUntil.value.trim();
  if (until !== '') {
    const at = new Date(until);
    if (!/Z$/.test(until) || Number.isNaN(at.getTime()))
      throw new Error('until: a UTC time such as 2027-01-31T00:00:00Z');
    return at.toISOString();
  }
  if (el.grantDays.value.trim() === '') return null;
  const days = Number(el.grantDays.value);
  if (!Number.isInteger(days) || days < 1) throw new Error('days: a whole number of days, 1 or more');
  return new Date(Date.now() + days * DAY_MS).toISOString();
}

el.grant.addEventListener('submit', (event) => {
  event.preventDefault();
  void attempt(el.grantResult, async () => {
    const until = grantUntil();
    const data = await run('ConsoleGrant', {
      app: state.app,
      userId: state.userId,
      entitlement: el.grantEntitlement.value.trim(),
      until,
      reason: el.grantReason.value,
    });
    /** @type {{ supportGrant: SupportGrant }} */
    const result = member(data.grantEntitlement, 'GrantEntitlementSuccess');
    const grant = result.supportGrant;
    el.grantReason.value = '';
    await lookUp();
    say(
      el.grantResult,
      `Granted ${grant.entitlement} until ${grant.until ?? 'forever'} (grant ${grant.id}).`,
      'ok',
    );
  });
});

el.revoke.addEventListener('submit', (event) => {
  event.preventDefault();
  void attempt(el.revokeResult, async () => {
    const id = el.revokeId.textContent ?? '';
    const data = await run('ConsoleRevoke', { app: state.app, id, reason: el.revokeReason.value });
    member(data.revokeGrant, 'RevokeGrantSuccess');
    el.revoke.hidden = true;
    await lookUp();
    say(el.revokeResult, `Revoked ${id}.`, 'ok');
  });
});

el.revokeCancel.addEventListener('click', () => {
  el.revoke.hidden = true;
});

el.key.value = sessionStorage.getItem(KEY_STORAGE) ?? '';
