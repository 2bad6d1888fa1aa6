import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type GatewayProcess,
  gqlAt,
  killAllGateways,
  PROCESS_APP,
  type ProcessConfig,
  spawnGateway,
  writeProcessConfig,
} from './gateway-process.js';
import { REDEEM, type RedeemAnswer } from './redeem.js';
import { type SandboxHarness, startHarness } from './sandbox.js';

/**
 * What the tests of gateway processes over a ledger (killed, restarted, failed over, backed up)
 * set up alike: a sandbox with one ONE store app and one NHN Cloud app for PROCESS_APP, a folder of
 * the test's own for the config file and an embedded ledger, and an API key the config admits.
 */
export interface ProcessRig {
  h: SandboxHarness;
  dir: string;
  clientId: string;
  clientSecret: string;
  nhnAppSeq: string;
  apiKey: string;
  /** Writes the gateway config for this rig's app with this `ledger` section; its path. */
  config(
    ledger: Record<string, unknown>,
    more?: Pick<ProcessConfig, 'webhooks' | 'extra' | 'upstreamDeadlineMs' | 'gamebaseAppId'>,
  ): Promise<string>;
  /** Starts a gateway process on `config`, the app's client secret in its environment with `env`. */
  spawn(config: string, env?: Record<string, string>): Promise<GatewayProcess>;
  /** A new unconsumed `gem_100` purchase of the app (a sandbox control call); its token. */
  purchase(): Promise<string>;
  /** redeemPurchase of that `gem_100` purchase through the gateway at `url`: the response body. */
  redeem(
    url: string,
    purchaseToken: string,
    userId: string,
  ): Promise<{ data?: { redeemPurchase: RedeemAnswer | null }; errors?: unknown[] }>;
  /** Kills every gateway process still running, closes the sandbox, removes the folder. */
  close(): Promise<void>;
}

/** `name` marks the app's client id; `dirPrefix` the folder's name. */
export async function startProcessRig(name: string, dirPrefix: string, apiKey: string): Promise<ProcessRig> {
  const h = await startHarness({});
  const clientId = `com.example.${name}${randomUUID().slice(0, 8)}`;
  const clientSecret = `secret-${randomUUID()}`;
  await h.control('POST', '/onestore/apps', { clientId, clientSecret });
  const nhn = await h.control<{ appSeq: string | number }>('POST', '/nhncloud/apps', {});
  const dir = await mkdtemp(join(tmpdir(), dirPrefix));
  const nhnAppSeq = String(nhn.appSeq);
  return {
    h,
    dir,
    clientId,
    clientSecret,
    nhnAppSeq,
    apiKey,
    config: (ledger, more = {}) =>
      writeProcessConfig({
        dir,
        sandboxUrl: h.url,
        clientId,
        clientSecret,
        nhnAppSeq,
        apiKey,
        ledger,
        ...more,
      }),
    spawn: (config, env = {}) => spawnGateway(config, { SECRET_A: clientSecret, ...env }),
    purchase: async () => {
      const body = { type: 'inapp', productId: 'gem_100', clientId };
      return (await h.control<{ purchaseToken: string }>('POST', '/onestore/purchases', body)).purchaseToken;
    },
    redeem: (url, purchaseToken, userId) =>
      gqlAt<{ redeemPurchase: RedeemAnswer | null }>(url, apiKey, REDEEM, {
        input: { app: PROCESS_APP, userId, onestore: { productId: 'gem_100', purchaseToken } },
      }),
    close: async () => {
      killAllGateways();
      await h.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
