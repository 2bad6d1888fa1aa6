import type { Delivery, LedgerEvent } from '../../ledger/index.js';
import { authorize } from '../authorize.js';
import { builder } from '../builder.js';
import { InvalidInputError, NotFoundError } from '../errors/error-classes.js';
import { type GatewayEvent, GatewayEventType } from '../types/gateway-event.js';
import { LEDGER_READ_ERRORS } from '../types/grant.js';
import { readDeliveries, WebhookDeliveryType } from '../types/webhook-delivery.js';
import { inputSchema, optionalText, text, validated } from '../validate.js';
import { inputMutation } from './input-mutation.js';

const RedeliverEventInput = builder.inputType('RedeliverEventInput', {
  fields: (t) => ({
    app: t.string({ required: true }),
    eventId: t.id({ required: true, description: "The event's id (GatewayEvent.id)." }),
    endpoint: t.string({
      required: false,
      description:
        "One endpoint's name; default: every endpoint of the app that takes the event's type (as configured now).",
    }),
  }),
});

const RedeliverSchema = inputSchema<typeof RedeliverEventInput.$inferInput>()({
  eventId: text('eventId'),
  endpoint: optionalText('webhookEndpoint'),
});

interface Redelivered {
  event: LedgerEvent;
  deliveries: Delivery[];
}

const RedeliverEventSuccess = builder.objectRef<Redelivered>('RedeliverEventSuccess').implement({
  description:
    'The event is queued again, due now, with a new retry window; receivers get it with the same id (deduplicate on it).',
  fields: (t) => ({
    event: t.field({ type: GatewayEventType, resolve: (r) => r.event as GatewayEvent }),
    deliveries: t.field({
      type: [WebhookDeliveryType],
      description: 'The deliveries queued (none when no endpoint of the app takes this type).',
      resolve: (r) => r.deliveries,
    }),
  }),
});

inputMutation('redeliverEvent', {
  type: RedeliverEventSuccess,
  description:
    'Send an event to its webhook endpoints again: a dead-lettered one, or one a receiver lost. Order per subject is not kept for it: it may arrive after later events.',
  errors: [...LEDGER_READ_ERRORS, NotFoundError],
  input: RedeliverEventInput,
  // A support desk resends what a receiver lost, as the backend's write key may.
  scope: 'writeOrSupport',
  resolve: async (input, ctx): Promise<Redelivered> => {
    authorize(ctx, input.app, 'input.app');
    const { eventId, endpoint } = validated(
      RedeliverSchema,
      { ...input, eventId: String(input.eventId) },
      'input',
    );
    // The config's endpoints: a name it lacks is refused before any query.
    const { routing } = (await ctx.ledger.redemption()).storage.deliveries;
    if (endpoint !== undefined && !routing.endpointsOf(input.app).includes(endpoint))
      throw new InvalidInputError(
        'input.endpoint',
        `App "${input.app}" has no webhook endpoint "${endpoint}".`,
      );
    const done = await readDeliveries(ctx, (deliveries) =>
      deliveries.redeliver(input.app, eventId, (event) =>
        endpoint !== undefined ? [endpoint] : routing.endpointsFor(input.app, event.type),
      ),
    );
    // Another app's event is as unknown as a missing one.
    if (done === null) throw new NotFoundError('This app has no event with that id.');
    return done;
  },
});
