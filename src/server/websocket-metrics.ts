import { Counter, Gauge, type Registry } from 'prom-client';

/** Why the WebSocket transport refused a connection: the `reason` label of its refusal counter. */
export type WebSocketRefusal =
  | 'no_api_key'
  | 'unknown_api_key'
  | 'too_many_connections'
  | 'forbidden_origin'
  | 'unknown_path'
  | 'shutting_down';

const REASONS: readonly WebSocketRefusal[] = [
  'no_api_key',
  'unknown_api_key',
  'too_many_connections',
  'forbidden_origin',
  'unknown_path',
  'shutting_down',
];

/**
 * The graphql-ws transport's metrics (`GatewayMetrics.webSockets`). Its streams are counted with
 * the server-sent ones in `gateway_event_streams_open` and `gateway_events_streamed_total`: both
 * transports open them through the same hub.
 */
export class WebSocketMetrics {
  readonly connections: Gauge;
  readonly refusals: Counter<'reason'>;

  constructor(registry: Registry) {
    this.connections = new Gauge({
      name: 'gateway_websocket_connections',
      help: 'graphql-ws connections open in this process with an accepted API key.',
      registers: [registry],
    });
    this.refusals = new Counter({
      name: 'gateway_websocket_refusals_total',
      help: 'WebSocket connections refused: at the upgrade (forbidden_origin, unknown_path, shutting_down) or at connection_init (no_api_key, unknown_api_key, too_many_connections).',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
    // Zero from the start, so increase() sees the first refusal of each kind.
    for (const reason of REASONS) this.refusals.inc({ reason }, 0);
  }
}
