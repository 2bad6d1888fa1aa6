import {
  checkDeliveryKey,
  type DELIVERY_STATUSES,
  type Delivery,
  type DeliveryKey,
  type DeliveryStore,
} from '../../ledger/index.js';
import { decodeCursorText, encodeCursorText, isCursorShaped } from '../../vocabulary/cursor.js';
import { authorize } from '../authorize.js';
import { builder, READ_OR_SUPPORT } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { InvalidInputError } from '../errors/error-classes.js';
import { connection, pageSize, pagingArgs } from '../queries/paging.js';
import { type GatewayEvent, GatewayEventType } from './gateway-event.js';
import { LEDGER_READ_ERRORS, read } from './grant.js';

export const WebhookDeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  values: {
    PENDING: {
      description: 'Not delivered yet: waiting for its turn, in an attempt, or retried at nextAttemptAt.',
    },
    DELIVERED: { description: 'The endpoint answered 2xx.' },
    DEAD: {
      description:
        'Every attempt failed until the retry window (webhooks.retryForSeconds) closed: dead-lettered. redeliverEvent sends it again.',
    },
  } satisfies Record<(typeof DELIVERY_STATUSES)[number], { description: string }>,
});

export const WebhookDeliveryType = builder.objectRef<Delivery>('WebhookDelivery').implement({
  description: "One event's delivery to one webhook endpoint of its app.",
  fields: (t) => ({
    endpoint: t.exposeString('endpoint', { description: "The endpoint's name in the config." }),
    event: t.field({ type: GatewayEventType, resolve: (d) => d.event as GatewayEvent }),
    status: t.field({ type: WebhookDeliveryStatusEnum, resolve: (d) => d.status }),
    attempts: t.exposeInt('attempts', { description: 'Attempts started so far (redeliveries included).' }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'PENDING only: not attempted before this.',
      resolve: (d) => (d.status === 'PENDING' ? d.nextAttemptAt : null),
    }),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description: 'How the last failed attempt ended: `HTTP 503`, `timeout`, a connection error code.',
    }),
    lastStatus: t.exposeInt('lastStatus', {
      nullable: true,
      description: "The endpoint's HTTP status at the last attempt that got an answer.",
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'Queued (with its event, or by a redelivery).',
    }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    requeuedAt: t.expose('requeuedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When redeliverEvent queued it again; its retry window runs from here.',
    }),
  }),
});

/** Opaque position after a delivery: base64url of `wd:<event seq>:<endpoint>`. */
export function encodeDeliveryCursor(key: DeliveryKey): string {
  return encodeCursorText(`wd:${key.eventSeq}:${key.endpoint}`);
}

/** The position inside a cursor of {@link encodeDeliveryCursor}; InvalidInputError on `after` when it is not one. */
export function decodeDeliveryCursor(cursor: string): DeliveryKey {
  const match = isCursorShaped(cursor, 128)
    ? /^wd:([1-9][0-9]{0,15}):([a-z0-9][a-z0-9_-]{0,63})$/.exec(decodeCursorText(cursor))
    : null;
  if (!match?.[1] || !match[2]) throw new InvalidInputError('after', 'after is not a cursor of this list.');
  return checkDeliveryKey({ eventSeq: match[1], endpoint: match[2] });
}

/** A ledger read of the deliveries, its failures typed as the grant reads' are. */
export async function readDeliveries<T>(
  ctx: GatewayContext,
  call: (deliveries: DeliveryStore) => Promise<T>,
): Promise<T> {
  const service = await ctx.ledger.redemption();
  return read(ctx, () => call(service.storage.deliveries));
}

const WebhookDeliveryConnection = builder.connectionObject({
  type: WebhookDeliveryType,
  name: 'WebhookDeliveryConnection',
});

builder.queryField('webhookDeliveries', (t) =>
  t.field({
    type: WebhookDeliveryConnection,
    description:
      "An app's webhook deliveries, oldest event first: e.g. `status: DEAD` for the dead-lettered ones, `PENDING` for the queue.",
    errors: { types: [...LEDGER_READ_ERRORS] },
    authScopes: READ_OR_SUPPORT,
    args: {
      app: t.arg.string({ required: true }),
      status: t.arg({
        type: WebhookDeliveryStatusEnum,
        required: false,
        description: 'Default: every status.',
      }),
      ...pagingArgs('Deliveries'),
    },
    resolve: async (_root, args, ctx) => {
      authorize(ctx, args.app);
      const first = pageSize(args.first);
      const after = args.after == null ? undefined : decodeDeliveryCursor(args.after);
      const page = await readDeliveries(ctx, (deliveries) =>
        deliveries.list(args.app, args.status ?? undefined, { first, ...(after && { after }) }),
      );
      const edges = page.deliveries.map((node) => ({ node, cursor: encodeDeliveryCursor(node) }));
      return connection(edges, {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: after !== undefined,
        endCursor: edges.at(-1)?.cursor ?? args.after ?? null,
      });
    },
  }),
);
