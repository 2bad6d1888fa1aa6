import type { SandboxClock } from '../clock.js';
import type { Market } from './model.js';
import type { PathParams } from './routes.js';
import type { OneStoreState } from './state.js';
import type { WireTimeBasis } from './wire.js';

export interface OneStoreDeps {
  state: OneStoreState;
  clock: SandboxClock;
  time: WireTimeBasis;
  /** Unit of deferSubscription's deferPeriod: the sandbox environment uses minutes. */
  deferUnitMs: number;
  maxBodyBytes: number;
}

/** A request that passed content-type, authorization, market and path-size checks. */
export interface AuthorizedCall {
  clientId: string;
  productId: string;
  purchaseToken: string;
  market: Market;
  params: PathParams;
  query: URLSearchParams;
  /** The JSON body of POSTs, `{}` when empty. */
  body: Record<string, unknown>;
  now: number;
}
