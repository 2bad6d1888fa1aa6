import type { Environment } from '../vocabulary/environments.js';
import type { EventType } from './types.js';

/**
 * One configured webhook endpoint as routing reads it: its app, its name, the event types it takes
 * and the environments (SANDBOX, PRODUCTION) of the events it takes.
 */
export interface RoutedEndpoint {
  app: string;
  name: string;
  events: readonly EventType[];
  environments: readonly Environment[];
}

/** Which endpoints get which events: the ledger's outbox writes one delivery per endpoint it names. */
export interface WebhookRouting {
  /**
   * The endpoints (by name) of `app` that take events of `type` in `environment`; none: the event is
   * kept for streams only.
   */
  endpointsFor(app: string, type: EventType, environment: Environment): readonly string[];
  /** Every endpoint (by name) of `app`, whatever the type (`redeliverEvent` checks a name against it). */
  endpointsOf(app: string): readonly string[];
  /** Whether endpoint `name` of `app` takes events of `environment` (false for an unknown endpoint). */
  takesEnvironment(app: string, name: string, environment: Environment): boolean;
}

/**
 * The routing of the config's endpoints, built once so the outbox's lookups are map reads.
 */
export function webhookRouting(settings: { endpoints: readonly RoutedEndpoint[] }): WebhookRouting {
  const byApp = new Map<string, string[]>();
  const byKey = new Map<string, string[]>();
  const add = (key: string, name: string) => byKey.set(key, [...(byKey.get(key) ?? []), name]);
  for (const endpoint of settings.endpoints) {
    byApp.set(endpoint.app, [...(byApp.get(endpoint.app) ?? []), endpoint.name]);
    for (const environment of endpoint.environments) {
      add(environmentKey(endpoint.app, endpoint.name, environment), endpoint.name);
      for (const type of endpoint.events) add(typeKey(endpoint.app, type, environment), endpoint.name);
    }
  }
  return {
    endpointsFor: (app, type, environment) => byKey.get(typeKey(app, type, environment)) ?? [],
    endpointsOf: (app) => byApp.get(app) ?? [],
    takesEnvironment: (app, name, environment) => byKey.has(environmentKey(app, name, environment)),
  };
}

// NUL cannot occur in an app, endpoint or type name, so the keys cannot collide.
const typeKey = (app: string, type: EventType, environment: Environment) =>
  `${app}\u0000${type}\u0000${environment}`;
const environmentKey = (app: string, name: string, environment: Environment) =>
  `${app}\u0000${name}\u0000${environment}\u0000endpoint`;
