import type { Environment } from '../vocabulary/environments.js';

/**
 * The codec of an event's `data`: JSON in which every Date is written as `{"$date": ISO}` and read back
 * as a Date, so a snapshot of a domain object (a grant, a purchase record) comes back as the same
 * object the GraphQL types resolve. A plain string is never turned into a Date, whatever it looks like
 * (a developerPayload may read as an ISO time).
 *
 * Snapshots are versioned (the `events.data_version` column; NULL on rows written before versions, read
 * as 1), because an event is kept for good and rendered through today's API types: a field added to a
 * snapshotted type (Grant, Purchase, Subscription, Money) that an old snapshot lacks would make the old
 * event fail to render (`gatewayEvents` errors, its webhook retried until dead). So whoever adds a field
 * to a snapshotted object adds an upgrade here that gives older snapshots a value for it (from what they
 * hold, or the value that says "unknown then"), and the version goes up by one; every read brings a
 * stored snapshot up to the current version. Upgrades only add: a reader older than a row (a replica
 * not upgraded yet in a rolling deploy) reads it as it is and leaves out what it does not know.
 * `test/events/snapshot-versions.test.ts` renders stored rows of every earlier version.
 */

/** A snapshot as JSON objects go: the upgrades edit it in place of the types they know by name. */
export type SnapshotData = Record<string, unknown>;

/**
 * What the row beside a snapshot says, for an upgrade whose value the snapshot cannot hold: the
 * event's environment (migration 11). Default (a snapshot read without its row): `PRODUCTION`.
 */
export interface SnapshotRow {
  environment?: Environment;
}

/** One step: `upgrade` turns a snapshot of version `to - 1` into one of version `to`. */
export interface SnapshotUpgrade {
  to: number;
  /** What it adds, for the reader of this list. */
  adds: string;
  upgrade(data: SnapshotData, row: SnapshotRow): SnapshotData;
}

const isObject = (value: unknown): value is SnapshotData =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** The upgrades of stored snapshots, in order; the current version is the last one's `to` (1 without any). */
export const SNAPSHOT_UPGRADES: readonly SnapshotUpgrade[] = [
  {
    to: 2,
    adds: "grant.storeApp (the store's own app id, ledger migration 5): null, not kept then",
    upgrade: (data) =>
      isObject(data.grant) && !('storeApp' in data.grant)
        ? { ...data, grant: { ...data.grant, storeApp: null } }
        : data,
  },
  {
    to: 3,
    adds:
      'subscription.countryCode, periodType, willRenew, billingIssueSince, priceChange, promotion (issue 26): ' +
      'null, NORMAL, autoRenewing while entitled, null, null, null: what the snapshot held then',
    upgrade: (data) => {
      const s = data.subscription;
      if (!isObject(s) || 'willRenew' in s) return data;
      const entitled = isObject(s.entitlement) && s.entitlement.active === true;
      return {
        ...data,
        subscription: {
          countryCode: null,
          periodType: 'NORMAL',
          willRenew: s.autoRenewing === true && entitled,
          billingIssueSince: null,
          priceChange: null,
          promotion: null,
          ...s,
        },
      };
    },
  },
  {
    to: 4,
    adds:
      "grant.environment (issue 27, ledger migration 11): the event's own, which the start filled in from " +
      "the config (the grant's, for a grant's event)",
    upgrade: (data, row) =>
      isObject(data.grant) && !('environment' in data.grant)
        ? { ...data, grant: { ...data.grant, environment: row.environment ?? 'PRODUCTION' } }
        : data,
  },
];

export class SnapshotCodec {
  /** The version this codec writes. */
  readonly version: number;

  constructor(readonly upgrades: readonly SnapshotUpgrade[] = SNAPSHOT_UPGRADES) {
    upgrades.forEach((u, i) => {
      if (u.to !== i + 2) throw new Error(`snapshot upgrade ${i} must produce version ${i + 2}, not ${u.to}`);
    });
    this.version = upgrades.length + 1;
  }

  encode(value: object): string {
    return JSON.stringify(value, function (this: Record<string, unknown>, key: string, encoded: unknown) {
      // `encoded` is what Date.prototype.toJSON already made of it; the holder still has the Date.
      const original = this[key];
      return original instanceof Date ? { $date: original.toISOString() } : encoded;
    });
  }

  /**
   * The snapshot stored as `text` at `storedVersion` (null: before versions, 1), brought up to this
   * version; `row`: what its row says (default: nothing, see {@link SnapshotRow}).
   */
  decode<T>(text: string, storedVersion: number | null, row: SnapshotRow = {}): T {
    let data = JSON.parse(text, (_key, value: unknown) => {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const keys = Object.keys(value);
        const tagged = (value as { $date?: unknown }).$date;
        if (keys.length === 1 && typeof tagged === 'string') return new Date(tagged);
      }
      return value;
    }) as SnapshotData;
    for (const step of this.upgrades) if (step.to > (storedVersion ?? 1)) data = step.upgrade(data, row);
    return data as T;
  }
}

/** The codec the ledger reads and writes with. */
export const SNAPSHOTS = new SnapshotCodec();

/** The current codec's encoding (the version to store beside it is `SNAPSHOTS.version`). */
export function encodeSnapshot(value: object): string {
  return SNAPSHOTS.encode(value);
}

/** A snapshot with no stored version, read as the first (tests and tools; the ledger passes the row's). */
export function decodeSnapshot<T>(text: string, storedVersion: number | null = null): T {
  return SNAPSHOTS.decode<T>(text, storedVersion);
}
