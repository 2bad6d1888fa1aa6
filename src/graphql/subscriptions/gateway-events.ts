import type { LedgerEvent } from '../../ledger/index.js';
import { authorize } from '../authorize.js';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';
import { InvalidInputError } from '../errors/error-classes.js';
import { StreamNotAcceptedError, streamRefusal } from '../errors/stream-errors.js';
import {
  decodeEventCursor,
  type GatewayEvent,
  GatewayEventType,
  GatewayEventTypeEnum,
} from '../types/gateway-event.js';

/** True when the request takes server-sent events: without them a stream would be opened for nothing. */
function acceptsEventStream(ctx: GatewayContext): boolean {
  const accept = (ctx as { request?: Request }).request?.headers.get('accept');
  if (accept === null || accept === undefined || accept === '') return true;
  return /(^|,)\s*(text\/event-stream|text\/\*|\*\/\*)\s*(;|,|$)/i.test(accept);
}

builder.subscriptionField('gatewayEvents', (t) =>
  t.field({
    type: GatewayEventType,
    description:
      "An app's events as they commit, after `after` (an event's `cursor`; none: from the app's first event), in order, with no gap and no repeat: the same events as the `gatewayEvents` query. Reconnect with the last cursor received to resume. Refused before the first event (a GraphQL error with `extensions.code`: FORBIDDEN, INVALID_INPUT, RATE_LIMITED, TOO_MANY_STREAMS, LEDGER_UNAVAILABLE, SHUTTING_DOWN, NOT_ACCEPTABLE).",
    authScopes: { read: true },
    args: {
      app: t.arg.string({ required: true }),
      after: t.arg.string({ required: false, description: 'Resume after this event cursor.' }),
      types: t.arg({
        type: [GatewayEventTypeEnum],
        required: false,
        description: 'Only these types; default: all.',
      }),
    },
    subscribe: async (_root, args, ctx): Promise<AsyncIterable<LedgerEvent>> => {
      try {
        authorize(ctx, args.app);
        const afterSeq = args.after == null ? null : decodeEventCursor(args.after);
        if (args.after != null && afterSeq === null)
          throw new InvalidInputError('after', 'after is not an event cursor (a GatewayEvent.cursor).');
        if (!acceptsEventStream(ctx)) throw new StreamNotAcceptedError();
        const signal = (ctx as { request?: Request }).request?.signal;
        return await ctx.eventStreams.open({
          keyName: ctx.caller.keyName,
          app: args.app,
          afterSeq,
          ...(signal && { signal }),
          ...(ctx.scope && { requestId: ctx.scope.requestId }),
          ...(args.types && args.types.length > 0 && { types: args.types }),
        });
      } catch (error) {
        throw streamRefusal(error) ?? error;
      }
    },
    resolve: (event) => event as GatewayEvent,
  }),
);
