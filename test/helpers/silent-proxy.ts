import { type AddressInfo, createServer, type Socket, connect as tcpConnect } from 'node:net';

/**
 * A TCP proxy that can go silent the way a failed-over database host does when its packets are
 * dropped: no reset, no close, no answer. `silence()` turns every connection open now into a black
 * hole for good (bytes either way are swallowed, and a close on one side is not passed on); a
 * connection opened while silent is accepted and swallowed too. After `speak()`, new connections
 * are forwarded again.
 */
export interface SilentProxy {
  host: string;
  port: number;
  silence(): void;
  speak(): void;
  close(): Promise<void>;
}

export async function startSilentProxy(target: { host: string; port: number }): Promise<SilentProxy> {
  let silent = false;
  const pairs = new Set<{ client: Socket; server: Socket; dead: boolean }>();
  const server = createServer((client) => {
    const upstream = tcpConnect(target.port, target.host);
    const pair = { client, server: upstream, dead: silent };
    pairs.add(pair);
    // Errors end a side; the test watches the ledger's answers, not the proxy.
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.on('data', (chunk) => {
      if (!pair.dead) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!pair.dead) client.write(chunk);
    });
    client.on('close', () => {
      if (!pair.dead) upstream.destroy();
    });
    upstream.on('close', () => {
      if (!pair.dead) client.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    silence: () => {
      silent = true;
      for (const pair of pairs) pair.dead = true;
    },
    speak: () => {
      silent = false;
    },
    close: async () => {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.server.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
