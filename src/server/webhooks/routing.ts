import type { WebhookSettings } from '../../config/webhooks.js';
import type { EventStoreOptions, EventType } from '../../ledger/index.js';

/**
 * Which endpoints get which events, from the config: the outbox writes one delivery per endpoint
 * returned for an event, in the event's transaction. Built once; the lookups are map reads.
 */
export function webhookRouting(
  settings: WebhookSettings,
): Required<Pick<EventStoreOptions, 'endpointsFor' | 'endpointsOf'>> {
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
    endpointsFor: (app: string, type: EventType) => byAppType.get(`${app}\u0000${type}`) ?? [],
    endpointsOf: (app: string) => byApp.get(app) ?? [],
  };
}
