import type { EventType } from './types.js';

/** One configured webhook endpoint as routing reads it: its app, its name and the event types it takes. */
export interface RoutedEndpoint {
  app: string;
  name: string;
  events: readonly EventType[];
}

/** Which endpoints get which events: the ledger's outbox writes one delivery per endpoint it names. */
export interface WebhookRouting {
  /** The endpoints (by name) of `app` that take events of `type`; none: the event is kept for streams only. */
  endpointsFor(app: string, type: EventType): readonly string[];
  /** Every endpoint (by name) of `app`, whatever the type (`redeliverEvent` checks a name against it). */
  endpointsOf(app: string): readonly string[];
}

/**
 * The routing of the config's endpoints, built once so the outbox's lookups are map reads.
 */
export function webhookRouting(settings: { endpoints: readonly RoutedEndpoint[] }): WebhookRouting {
  const byApp = new Map<string, string[]>();
  const byAppType = new Map<string, string[]>();
  for (const endpoint of settings.endpoints) {
    byApp.set(endpoint.app, [...(byApp.get(endpoint.app) ?? []), endpoint.name]);
    for (const type of endpoint.events) {
      const key = `${endpoint.app}\u0000${type}`;
      byAppType.set(key, [...(byAppType.get(key) ?? []), endpoint.name]);
    }
  }
  return {
    endpointsFor: (app, type) => byAppType.get(`${app}\u0000${type}`) ?? [],
    endpointsOf: (app) => byApp.get(app) ?? [],
  };
}
