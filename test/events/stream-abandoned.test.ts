import { describe, expect, it } from 'vitest';
import { StreamAbandonedError } from '../../src/graphql/errors/stream-errors.js';
import { openLedgerStorage } from '../../src/redemption/service.js';
import { EventStreamHub } from '../../src/server/event-streams.js';
import { GatewayMetrics } from '../../src/server/metrics.js';

// Review finding: a client that left while its stream waited for the ledger kept a place under the
// per-key cap forever (no response started, so nothing called return()).
describe('event streams whose client goes away', () => {
  it('a client gone while the ledger opens gets no stream and leaves its place free', async () => {
    const storage = await openLedgerStorage({});
    let ledgerReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      ledgerReady = resolve;
    });
    const metrics = new GatewayMetrics({ processMetrics: false });
    const hub = new EventStreamHub(
      {
        storage: async () => {
          await ready;
          return storage;
        },
      },
      { maxPerKey: 1, pollIntervalSeconds: 30 },
      metrics,
    );
    try {
      const client = new AbortController();
      const opening = hub.open({ keyName: 'k', app: 'game', afterSeq: null, signal: client.signal });
      client.abort();
      ledgerReady();
      await expect(opening).rejects.toBeInstanceOf(StreamAbandonedError);
      expect(hub.size).toBe(0);
      // The one place of this key is free again.
      const next = await hub.open({ keyName: 'k', app: 'game', afterSeq: null });
      expect(hub.size).toBe(1);
      await next.return?.();
      expect(hub.size).toBe(0);
    } finally {
      await hub.close();
      await storage.db.close();
    }
  });

  it('a client gone after its stream opened ends it, whether or not the response started', async () => {
    const storage = await openLedgerStorage({});
    const metrics = new GatewayMetrics({ processMetrics: false });
    const hub = new EventStreamHub(
      { storage: async () => storage },
      { maxPerKey: 1, pollIntervalSeconds: 30 },
      metrics,
    );
    try {
      const client = new AbortController();
      await hub.open({ keyName: 'k', app: 'game', afterSeq: null, signal: client.signal });
      expect(hub.size).toBe(1);
      client.abort();
      await expect.poll(() => hub.size).toBe(0);
      const again = await hub.open({ keyName: 'k', app: 'game', afterSeq: null });
      await again.return?.();
    } finally {
      await hub.close();
      await storage.db.close();
    }
  });
});
