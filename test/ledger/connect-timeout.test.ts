import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerConnectError, ledgerErrorKind, openLedgerDb } from '../../src/ledger/index.js';

describe('opening the PostgreSQL ledger', () => {
  // A server that accepts connections and never answers: before the connect timeout, the open hung forever.
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  let port = 0;
  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });

  it('fails after the connect timeout with an error naming the server and the problem, never the password', async () => {
    const error = await openLedgerDb({
      url: `postgres://gateway:s3cret-pw@127.0.0.1:${port}/ledger`,
      connectTimeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerConnectError);
    expect((error as Error).message).toBe(
      `cannot connect to the PostgreSQL ledger at 127.0.0.1:${port}/ledger: no answer within 300 ms (connect timeout)`,
    );
    expect(ledgerErrorKind(error)).toBe('unavailable');
    expect(sockets.length).toBe(1);
  });

  it('refuses a connect timeout that is not a positive whole number of ms', async () => {
    await expect(openLedgerDb({ url: 'postgres://x', connectTimeoutMs: 0 })).rejects.toThrow(
      /connectTimeoutMs must be a positive integer/,
    );
  });
});
