import type { AddressInfo } from 'node:net';
import type { Sandbox } from '../../src/sandbox/index.js';
import { createGateway, type Gateway } from '../../src/server/create-gateway.js';
import { createGatewayServer } from '../../src/server/node-listener.js';
import { startSandboxMode } from '../../src/server/sandbox-mode.js';

/** A gateway in sandbox mode (demo data, the demo app and key), served over real HTTP. */
export interface SandboxModeGateway {
  sandbox: Sandbox;
  gateway: Gateway;
  /** Base URL of the gateway (`/graphql` lives under it). */
  url: string;
  /** The demo API key. */
  apiKey: string;
  close(): Promise<void>;
}

/**
 * Sandbox mode's sandbox and config on port 0, with the gateway on the sandbox's clock: what a
 * client of the demo meets, without GraphiQL's presets (`startSandboxMode`'s `options`).
 */
export async function startSandboxModeGateway(
  // e.g. `webhookUrl` (startSandboxMode's); the port is always 0.
  settings: Omit<Parameters<typeof startSandboxMode>[0] & object, 'port'> = {},
): Promise<SandboxModeGateway> {
  const mode = await startSandboxMode({ ...settings, port: 0 });
  const gateway = createGateway(mode.config, { now: () => mode.sandbox.clock.now() });
  const server = createGatewayServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    sandbox: mode.sandbox,
    gateway,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey: mode.apiKey,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await gateway.dispose();
      await mode.sandbox.close();
    },
  };
}
