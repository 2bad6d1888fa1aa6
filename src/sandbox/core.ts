import { SandboxClock } from './clock.js';
import { FaultInjector, Maintenance } from './faults.js';
import { GamebaseState } from './gamebase/state.js';
import { NhnState } from './nhncloud/state.js';
import type { OneStoreDeps } from './onestore/deps.js';
import { type NotificationCounts, PnsNotifier } from './onestore/notifier.js';
import { OneStoreState } from './onestore/state.js';
import type { TokenReissue } from './onestore/tokens.js';
import { WireTimeBasis } from './onestore/wire.js';
import { RequestStats, type StatsSnapshot } from './stats.js';

/** The store request counts and the payment notifications sent (`GET /sandbox/v1/stats`). */
export type SandboxStats = StatsSnapshot & { notifications: NotificationCounts };

export interface SandboxOptions {
  /** TCP port; default 0 (any free port). The CLI defaults to 4010. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1 (never exposed beyond the machine unless asked). */
  host?: string;
  /** Load the demo apps, purchases, items and payments (all three stores); default false (the CLI and `npm start` turn it on). */
  demo?: boolean;
  /** Initial sandbox time, ms since epoch; default the wall clock. */
  startTime?: number;
  /** The MKT_ONE time-basis shift in minutes; default 540 (UTC+09). 0 reports plain epoch millis. */
  mktOneOffsetMinutes?: number;
  /** Unit of deferSubscription's deferPeriod in ms; default 60000 (minutes, as in the store's sandbox). */
  deferUnitMs?: number;
  /** Largest accepted request body in bytes; default 65536. */
  maxBodyBytes?: number;
  /**
   * ONE store token requests while the newest token has 600 s or more left: `same` answers that
   * token again (the document's rule), `new` a fresh token text every time. Default `same`; the
   * control API (`POST /sandbox/v1/onestore/tokens`) changes it until the next reset.
   */
  onestoreTokenReissue?: TokenReissue;
  /**
   * ONE store payment notification (PNS) URL per clientId: purchases of managed products made or
   * voided through the control API are POSTed there, signed with the demo key pair
   * (`onestore/notifier.ts`). Kept across resets; the control API changes one until the next
   * reset. Default: none (no notifications).
   */
  onestoreNotificationUrls?: Readonly<Record<string, string>>;
}

/** Everything the sandbox knows, shared by the store routes and the control API. */
export class SandboxCore {
  readonly clock: SandboxClock;
  readonly stats = new RequestStats();
  readonly faults = new FaultInjector();
  readonly maintenance = new Maintenance();
  readonly onestore: OneStoreState;
  readonly nhn = new NhnState();
  readonly gamebase = new GamebaseState();
  readonly onestoreDeps: OneStoreDeps;
  /** ONE store's payment notifications (PNS) to each app's URL. */
  readonly pns: PnsNotifier;
  readonly maxBodyBytes: number;

  constructor(options: SandboxOptions) {
    this.clock = new SandboxClock(options.startTime);
    this.maxBodyBytes = options.maxBodyBytes ?? 65_536;
    this.onestore = new OneStoreState(options.onestoreTokenReissue ?? 'same');
    this.onestoreDeps = {
      state: this.onestore,
      clock: this.clock,
      time: new WireTimeBasis(options.mktOneOffsetMinutes ?? 540),
      deferUnitMs: options.deferUnitMs ?? 60_000,
      maxBodyBytes: this.maxBodyBytes,
    };
    this.pns = new PnsNotifier(this.onestoreDeps.time, options.onestoreNotificationUrls);
  }

  statsSnapshot(): SandboxStats {
    return { ...this.stats.snapshot(), notifications: this.pns.counts() };
  }

  /** Zero request and notification counters. */
  resetStats(): void {
    this.stats.reset();
    this.pns.resetCounts();
  }

  /** Back to an empty store at wall-clock time, with no faults and zero counters. */
  reset(): void {
    this.clock.reset();
    this.stats.reset();
    this.pns.reset();
    this.faults.clear();
    this.maintenance.clear();
    this.onestore.clear();
    this.nhn.clear();
    this.gamebase.clear();
  }
}
