import { createHash } from 'node:crypto';

/**
 * The only documents `/console/graphql` runs: the page names one (`operationName`) and sends its
 * variables; a text or a hash, when sent, must be this text's exactly. So a support key reaches the
 * schema through the console only as far as these operations go, whatever it may do at `/graphql`.
 */

const ERROR = '... on Error { code message }';

const GRANT_FIELDS = 'id store productId quantity status outcome createdAt revokedAt';

const SUPPORT_GRANT_FIELDS = 'id entitlement since until reason keyName revokedAt revokeReason revokedByKey';

const EVENT_FIELDS = `id type occurredAt store productId grant { id productId status } supportGrant { ${SUPPORT_GRANT_FIELDS} } entitlement { id active expiresAt }`;

/** A page of the player's grants (`after`: the previous page's endCursor). */
const GRANTS_PAGE = `grants(first: 20, after: $grantsAfter) {
      __typename
      ${ERROR}
      ... on GrantConnection {
        edges { node { ${GRANT_FIELDS} } }
        pageInfo { hasNextPage endCursor }
      }
    }`;

/** A page of the player's events, newest first. */
const EVENTS_PAGE = `events(first: 20, after: $eventsAfter) {
      __typename
      ${ERROR}
      ... on GatewayEventConnection {
        edges { node { ${EVENT_FIELDS} } }
        pageInfo { hasNextPage endCursor }
      }
    }`;

const DELIVERY_FIELDS =
  'endpoint status attempts lastStatus lastError deliveredAt nextAttemptAt event { id }';

const deliveries = (
  status: string,
) => `${status.toLowerCase()}: webhookDeliveries(app: $app, status: ${status}, first: 100) {
    __typename
    ${ERROR}
    ... on WebhookDeliveryConnection { edges { node { ${DELIVERY_FIELDS} } } }
  }`;

const DOCUMENTS = {
  ConsolePlayer: `query ConsolePlayer($app: String!, $userId: String!, $grantsAfter: String, $eventsAfter: String) {
  player(app: $app, userId: $userId) {
    __typename
    ${ERROR}
    ... on Player {
      app
      userId
      entitlements { id active expiresAt since source store productId grantId }
      subscriptions { productId store state expiresAt willRenew billingIssue }
      supportGrants { ${SUPPORT_GRANT_FIELDS} }
      ${GRANTS_PAGE}
      ${EVENTS_PAGE}
    }
  }
}
`,
  ConsoleGrants: `query ConsoleGrants($app: String!, $userId: String!, $grantsAfter: String) {
  player(app: $app, userId: $userId) {
    __typename
    ${ERROR}
    ... on Player {
      ${GRANTS_PAGE}
    }
  }
}
`,
  ConsoleEvents: `query ConsoleEvents($app: String!, $userId: String!, $eventsAfter: String) {
  player(app: $app, userId: $userId) {
    __typename
    ${ERROR}
    ... on Player {
      ${EVENTS_PAGE}
    }
  }
}
`,
  /** The app's deliveries that are not done: dead-lettered and queued (the page matches them to its events). */
  ConsoleDeliveries: `query ConsoleDeliveries($app: String!) {
  ${deliveries('DEAD')}
  ${deliveries('PENDING')}
}
`,
  ConsoleRedeliver: `mutation ConsoleRedeliver($app: String!, $eventId: ID!) {
  redeliverEvent(input: { app: $app, eventId: $eventId }) {
    __typename
    ${ERROR}
    ... on RedeliverEventSuccess { deliveries { ${DELIVERY_FIELDS} } }
  }
}
`,
  /** A support grant of a catalogue entitlement (`until` null: forever), with its reason. */
  ConsoleGrant: `mutation ConsoleGrant($app: String!, $userId: String!, $entitlement: String!, $until: DateTime, $reason: String!) {
  grantEntitlement(input: { app: $app, userId: $userId, entitlement: $entitlement, until: $until, reason: $reason }) {
    __typename
    ${ERROR}
    ... on GrantEntitlementSuccess { supportGrant { ${SUPPORT_GRANT_FIELDS} } }
  }
}
`,
  /** A store grant or a support grant revoked, with its reason. */
  ConsoleRevoke: `mutation ConsoleRevoke($app: String!, $id: ID!, $reason: String!) {
  revokeGrant(input: { app: $app, id: $id, reason: $reason }) {
    __typename
    ${ERROR}
    ... on RevokeGrantSuccess {
      grant { id revokedAt }
      supportGrant { id revokedAt }
    }
  }
}
`,
} as const;

export type ConsoleOperationName = keyof typeof DOCUMENTS;

/** The console's documents by operation name. */
export const CONSOLE_OPERATIONS: ReadonlyMap<string, string> = new Map(Object.entries(DOCUMENTS));

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The console's documents by sha256 (hex) of their text, as the persisted operations manifest keys them. */
export const consoleManifest = (): ReadonlyMap<string, string> =>
  new Map([...CONSOLE_OPERATIONS.values()].map((text) => [sha256(text), text]));

/** What the page sent, once checked: a console operation and its variables. */
export interface ConsoleRequest {
  operationName: string;
  query: string;
  variables: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The console operation `body` names, or why not: an unknown name, a text or hash that is not the
 * named operation's, variables that are no object, or any other member.
 */
export function consoleRequestOf(body: unknown): ConsoleRequest | { refused: string } {
  if (!isRecord(body)) return { refused: 'The body is not a JSON object.' };
  const { operationName, query, variables = {}, extensions } = body;
  const extra = Object.keys(body).find(
    (k) => !['operationName', 'query', 'variables', 'extensions'].includes(k),
  );
  if (extra !== undefined)
    return { refused: 'Only operationName, query, variables and extensions are taken.' };
  const text = typeof operationName === 'string' ? CONSOLE_OPERATIONS.get(operationName) : undefined;
  if (typeof operationName !== 'string' || text === undefined)
    return { refused: 'Only the console’s own operations run here: operationName names none.' };
  if (query !== undefined && query !== text)
    return { refused: 'Only the console’s own operations run here: the text is not the named operation’s.' };
  const hash =
    isRecord(extensions) && isRecord(extensions.persistedQuery) ? extensions.persistedQuery : undefined;
  if (
    extensions !== undefined &&
    (hash?.sha256Hash !== sha256(text) || Object.keys(extensions ?? {}).length !== 1)
  )
    return { refused: 'Only the console’s own operations run here: the hash is not the named operation’s.' };
  if (!isRecord(variables)) return { refused: 'variables must be a JSON object.' };
  return { operationName, query: text, variables };
}
