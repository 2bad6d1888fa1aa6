import { afterAll, beforeAll } from 'vitest';
import type { RedemptionService } from '../../src/redemption/service.js';
import type { LedgerBackend } from './ledger.js';
import { gatewayOnLedger, type LedgerGateway, type LedgerGatewayOptions } from './ledger-gateway.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

/** An endpoint of app A's `webhooks` config, but for its url and secret. */
export interface TestEndpoint {
  name: string;
  /** The event types it takes. Default: every type. */
  events?: string[];
  /** How deliveries are signed. Default (the gateway's): `standard`. */
  signature?: 'standard' | 'gateway-v1';
}

/**
 * The harness options of a gateway sending app A's events to `receiver` as `endpoint`, signed with
 * `secret` (given in HOOK_SECRET), with the top-level `webhooks` config section `webhooks`.
 */
export function sendingTo(
  receiver: Receiver,
  secret: string,
  endpoint: TestEndpoint,
  webhooks: Record<string, unknown>,
): LedgerGatewayOptions {
  return {
    appWebhooks: [{ ...endpoint, url: receiver.url, secret: { env: 'HOOK_SECRET' } }],
    env: { HOOK_SECRET: secret },
    config: { webhooks },
  };
}

/** What `webhooksOnLedger` hands its tests. */
export interface WebhookGateway extends LedgerGateway {
  receiver: Receiver;
  service: RedemptionService;
}

/**
 * For a describe: a webhook receiver, and a gateway on `backend`'s ledger sending to it (see
 * `sendingTo`), its redemption service started, handed to `ready`; all closed after the last test.
 */
export function webhooksOnLedger(
  backend: LedgerBackend,
  secret: string,
  endpoint: TestEndpoint,
  webhooks: Record<string, unknown>,
  ready: (started: WebhookGateway) => void,
): void {
  let receiver: Receiver | undefined;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });
  const started = (): Receiver => {
    if (receiver === undefined) throw new Error('the receiver did not start');
    return receiver;
  };
  gatewayOnLedger(
    backend,
    () => sendingTo(started(), secret, endpoint, webhooks),
    async ({ g, ledger }) => {
      ready({ g, ledger, receiver: started(), service: await g.gateway.redemption() });
    },
  );
}
