import type { Gateway } from '../../src/server/create-gateway.js';
import { type Answering, type FakeListStore, startFakeListStore } from './fake-onestore-lists.js';
import { useStarted } from './gateway-suite.js';
import { gatewayOver, type Line } from './paging-gateway.js';

/** A fake ONE store's lists and the paging tests' gateway over it (`paging-gateway.ts`). */
export interface ListGateway {
  store: FakeListStore;
  gateway: Gateway;
  /** Every log line of the gateway. */
  lines: Line[];
  close(): Promise<void>;
}

/**
 * A fake list store answering with `answering` and `gatewayOver` it (`extra` config keys), for the
 * enclosing describe block; see `useStarted` for when its members can be read.
 */
export function useListGateway(answering: Answering, extra: Record<string, unknown> = {}): ListGateway {
  return useStarted(async () => {
    const store = await startFakeListStore(answering);
    const { gateway, lines } = gatewayOver(store, extra);
    const close = async () => {
      await gateway.dispose();
      await store.close();
    };
    return { store, gateway, lines, close };
  });
}
