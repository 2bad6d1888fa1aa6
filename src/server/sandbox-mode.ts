import { type GatewayConfig, resolveConfig } from '../config/load.js';
import { DEMO_NHN, DEMO_ONESTORE, type Sandbox, startSandbox } from '../sandbox/index.js';
import { sha256Hex } from './api-keys.js';

/** API key of sandbox mode when DEMO_API_KEY is not set. Sandbox data only: never a real store. */
export const DEFAULT_DEMO_API_KEY = 'demo-key';
export const DEMO_APP = 'demo';

export interface SandboxMode {
  sandbox: Sandbox;
  config: GatewayConfig;
  apiKey: string;
}

/** The embedded sandbox with demo data, and a config for one demo app on both of its stores. */
export async function startSandboxMode(
  options: { port?: number; apiKey?: string } = {},
): Promise<SandboxMode> {
  const sandbox = await startSandbox({ port: options.port ?? 0, demo: true });
  const apiKey = options.apiKey || DEFAULT_DEMO_API_KEY;
  const config = resolveConfig(
    {
      apps: {
        [DEMO_APP]: {
          onestore: {
            clientId: DEMO_ONESTORE.clientId,
            clientSecret: { env: 'DEMO_CLIENT_SECRET' },
            baseUrl: sandbox.url,
          },
          nhncloud: { appSeq: DEMO_NHN.appSeq, baseUrl: sandbox.url },
        },
      },
      apiKeys: [{ name: 'demo', sha256: sha256Hex(apiKey), apps: [DEMO_APP], scopes: ['read', 'write'] }],
    },
    { DEMO_CLIENT_SECRET: DEMO_ONESTORE.clientSecret },
  );
  return { sandbox, config, apiKey };
}
