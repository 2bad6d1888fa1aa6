import { changeData } from '../events/data.js';
import type { ChangeEventType } from '../events/types.js';
import type { ChangeIntent } from '../ledger/index.js';
import { provesNotApplied, type RequestScope } from '../stores/index.js';
import type { IntentTarget } from './change-intents.js';
import type { RedemptionService } from './service.js';

/** The reason {@link GatewayChange.failed} records on an intent its request answered UncertainOutcomeError. */
export const UNCERTAIN_ANSWER = 'UNCERTAIN_ANSWER';

/** What a change intent is opened with: its event's type, app and subject, and what a read needs. */
export interface ChangeRequest {
  app: string;
  type: ChangeEventType;
  subject: string;
  target: IntentTarget;
}

/**
 * A change made through the gateway (acknowledge, consume, a subscription change), from its intent
 * to its event (docs/events.md, "Change intents"): which event it emits and with what payload are
 * decided here (payloads: events/data.ts), the GraphQL mutations only call it. The intent is written
 * to the ledger before the store call, so a crash between the call and the event leaves a record
 * that the sweeper completes from a read of the store. Then:
 * - the store answered success: the event is written, observed at the answer;
 * - the store refused (an answer that proves nothing changed): the intent is closed, no event;
 * - anything else (no answer, an answer that proves nothing): the intent stays open, and the sweeper
 *   reads the store once its lease has run out, writing the event only if the read shows the change.
 */
export class GatewayChange {
  #uncertain = false;

  private constructor(
    private readonly service: RedemptionService,
    private readonly scope: RequestScope | undefined,
    readonly intent: ChangeIntent,
  ) {}

  /**
   * Records the intent. Throws LedgerUnavailable when the ledger cannot take it: the change is then
   * not made (nothing would stand for its event).
   */
  static async open(
    service: RedemptionService,
    scope: RequestScope | undefined,
    request: ChangeRequest,
  ): Promise<GatewayChange> {
    return new GatewayChange(service, scope, await service.openChange(request));
  }

  /** One store call of the change, as the client throws it (before GraphQL's error mapping). */
  async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!provesNotApplied(error)) this.#uncertain = true;
      throw error;
    }
  }

  /** Runs the change's store calls (`run`, each through `call`); a failure ends the intent first. */
  async through<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      await this.failed();
      throw error;
    }
  }

  /**
   * The change ends in an error: a refusal closes the intent; an uncertain call leaves it open,
   * marked as answered (`UNCERTAIN_ANSWER`), so that the caller's retry meeting "already consumed"
   * knows this request is over and may be what consumed it (graphql/mutations/consumed-earlier.ts).
   * The mark is best effort: failing, the intent counts as over once its lease runs out.
   */
  async failed(): Promise<void> {
    if (!this.#uncertain) {
      await this.service.abandonChange(this.intent, this.scope);
      return;
    }
    await this.service.markChangeAnswered(this.intent, UNCERTAIN_ANSWER);
  }

  /** The store accepted the change at `observedAt`: its event, with `data`. */
  async done(data: object, observedAt: Date): Promise<void> {
    await this.service.completeChange(this.intent, data, observedAt, this.scope);
  }

  /** A ONE store purchase acknowledged or consumed: the purchase read again (null if that read failed). */
  purchaseChanged(observedAt: Date, ...data: Parameters<typeof changeData.purchase>): Promise<void> {
    return this.done(changeData.purchase(...data), observedAt);
  }

  /** An NHN Cloud payment consumed: its identifiers and the price the store reported. */
  nhnConsumed(observedAt: Date, ...data: Parameters<typeof changeData.nhnConsume>): Promise<void> {
    return this.done(changeData.nhnConsume(...data), observedAt);
  }

  /** A ONE store subscription changed: its kind and the subscription read again (null if that read failed). */
  subscriptionChanged(observedAt: Date, ...data: Parameters<typeof changeData.subscription>): Promise<void> {
    return this.done(changeData.subscription(...data), observedAt);
  }
}
