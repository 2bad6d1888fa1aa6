import { z } from 'zod';
import { ENVIRONMENTS, type Environment } from '../vocabulary/environments.js';
import { EVENT_TYPES, type EventType } from '../vocabulary/event-types.js';
import { secretRef } from './secret-ref.js';

/** An endpoint's name: it is stored with each delivery and shown in metrics, so short and plain. */
export const ENDPOINT_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const webhookEndpoint = z.strictObject({
  /** Unique within the app; deliveries, metrics and `redeliverEvent(endpoint:)` name it. */
  name: z.string().regex(ENDPOINT_NAME, 'lowercase letters, digits, _ and -'),
  /** Where events are POSTed (http or https). Redirects are not followed: a 3xx is a failed attempt. */
  url: z.url({ protocol: /^https?$/ }),
  /** The HMAC-SHA256 signing secret, from the environment; at least 16 characters. */
  secret: secretRef,
  /**
   * How deliveries are signed: `standard` (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
   * `webhook-signature`, verified by its maintained libraries in most languages) or `gateway-v1` (the
   * earlier `Gateway-Signature: t=…,v1=…`, Stripe's scheme, for receivers already on it). Default `standard`.
   */
  signature: z.enum(['standard', 'gateway-v1']).default('standard'),
  /** Event types this endpoint gets. Default: every type. */
  events: z
    .array(z.enum(EVENT_TYPES))
    .min(1)
    .refine((list) => new Set(list).size === list.length, 'each type once')
    .optional(),
  /**
   * The environments of the events this endpoint gets: `["PRODUCTION"]` keeps test purchases away
   * from a revenue system, `["SANDBOX"]` sends only them to a test receiver. Default: both.
   */
  environments: z
    .array(z.enum(ENVIRONMENTS))
    .min(1)
    .refine((list) => new Set(list).size === list.length, 'each environment once')
    .optional(),
});

/** An app's webhook endpoints; at most 16, names unique. Default: none. */
export const appWebhooks = z
  .array(webhookEndpoint)
  .max(16)
  .refine((list) => new Set(list.map((e) => e.name)).size === list.length, 'endpoint names must be unique')
  .default([]);

/**
 * How every endpoint is delivered to. Each attempt that fails (not 2xx, a timeout, a connection error)
 * is retried after a delay drawn uniformly from 0 to min(maxBackoffMs, initialBackoffMs × 2^(attempt-1))
 * ("full jitter"), until the next attempt would fall more than `retryForSeconds` after the event: then
 * the delivery is dead-lettered (status DEAD; `redeliverEvent` sends it again).
 */
export const webhooksSection = z
  .strictObject({
    /** How long a failing delivery is retried, counted from the event (or its redelivery), seconds. Default 86400 (24 h). */
    retryForSeconds: z.int().min(1).max(2_592_000).default(86_400),
    /** Upper bound of the first retry's delay, ms; doubles with each attempt. Default 5000. */
    initialBackoffMs: z.int().min(10).max(3_600_000).default(5_000),
    /** Cap of the delay's upper bound, ms. Default 3600000 (1 h). */
    maxBackoffMs: z.int().min(10).max(86_400_000).default(3_600_000),
    /** One attempt's deadline (connect, send, answer), ms. Default 10000. */
    timeoutMs: z.int().min(100).max(120_000).default(10_000),
    /**
     * How long a replica holds a delivery it is attempting, seconds; another replica takes it over
     * only after that (a crash mid-attempt). Must exceed `timeoutMs`. Default 60.
     */
    leaseSeconds: z.int().min(1).max(3_600).default(60),
    /**
     * How often a replica looks for due deliveries besides being woken by its own commits (events
     * written by other replicas, retries coming due), ms. Default 5000.
     */
    pollIntervalMs: z.int().min(50).max(600_000).default(5_000),
    /** Attempts in flight at once per replica, all endpoints together. Default 8. */
    concurrency: z.int().min(1).max(256).default(8),
  })
  .prefault({});

export type WebhooksSection = z.output<typeof webhooksSection>;

export function checkWebhookSettings(section: WebhooksSection, ctx: z.RefinementCtx): void {
  if (section.leaseSeconds * 1000 <= section.timeoutMs)
    ctx.addIssue({
      code: 'custom',
      path: ['webhooks', 'leaseSeconds'],
      message: `must exceed webhooks.timeoutMs (${section.timeoutMs} ms): a delivery may not be taken over while its attempt can still land`,
    });
  if (section.maxBackoffMs < section.initialBackoffMs)
    ctx.addIssue({
      code: 'custom',
      path: ['webhooks', 'maxBackoffMs'],
      message: `must be at least webhooks.initialBackoffMs (${section.initialBackoffMs})`,
    });
}

/** One endpoint with its secret read from the environment. */
export interface WebhookEndpoint {
  app: string;
  name: string;
  url: string;
  /** Never logged, never in an error or a response. */
  secret: string;
  /** How its deliveries are signed (`signature` above). */
  signature: 'standard' | 'gateway-v1';
  /** The event types it gets; all of them unless the config lists some. */
  events: readonly EventType[];
  /** The environments of the events it gets; both unless the config lists one. */
  environments: readonly Environment[];
}

export interface WebhookSettings extends WebhooksSection {
  /** Every app's endpoints. */
  endpoints: readonly WebhookEndpoint[];
}

/** Shortest signing secret accepted: an HMAC key guessed or brute-forced would forge every event. */
const MIN_SECRET_LENGTH = 16;

/** The endpoints of every app with their secrets; a problem per missing or short secret. */
export function resolveWebhooks(
  apps: Readonly<Record<string, { webhooks: z.output<typeof appWebhooks> }>>,
  section: WebhooksSection,
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): WebhookSettings {
  const endpoints: WebhookEndpoint[] = [];
  for (const [app, config] of Object.entries(apps)) {
    config.webhooks.forEach((endpoint, index) => {
      const variable = endpoint.secret.env;
      const secret = env[variable] ?? '';
      const at = `apps.${app}.webhooks.${index}.secret`;
      if (!secret) problems.push(`${at}: environment variable ${variable} is not set`);
      else if (secret.length < MIN_SECRET_LENGTH)
        problems.push(
          `${at}: environment variable ${variable} is shorter than ${MIN_SECRET_LENGTH} characters`,
        );
      endpoints.push({
        app,
        name: endpoint.name,
        url: endpoint.url,
        secret,
        signature: endpoint.signature,
        events: endpoint.events ?? EVENT_TYPES,
        environments: endpoint.environments ?? ENVIRONMENTS,
      });
    });
  }
  return { ...section, endpoints };
}
