import { type StoredTime, toDate } from './dialect.js';
import { LedgerInputError } from './errors.js';
import { type EventRow, type LedgerEvent, toEvent } from './events.js';
import type { SnapshotCodec } from './snapshot.js';

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'DEAD'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event's delivery to one endpoint of its app (a `webhook_deliveries` row). */
export interface DeliveryKey {
  eventSeq: string;
  endpoint: string;
}

export interface Delivery extends DeliveryKey {
  app: string;
  subject: string;
  status: DeliveryStatus;
  /** Attempts started, +1 at every claim (a crash mid-attempt counts). */
  attempts: number;
  /** PENDING: not attempted before this. */
  nextAttemptAt: Date;
  /** What the last failed attempt ended with: `HTTP 503`, `timeout`, a socket error code; never a body. */
  lastError: string | null;
  /** The receiver's HTTP status of the last attempt that got one. */
  lastStatus: number | null;
  createdAt: Date;
  deliveredAt: Date | null;
  /** When `redeliver` queued it again; the retry window then runs from here. */
  requeuedAt: Date | null;
  /** PENDING and claimed: when its lease ends, on the database clock; null when no one holds it. */
  leaseExpiresAt: Date | null;
  event: LedgerEvent;
}

/** A page of deliveries, oldest event first. */
export interface DeliveryPage {
  deliveries: Delivery[];
  hasNextPage: boolean;
}

/** Pending deliveries of one app and the oldest one's queue time (for the gauges). */
export interface PendingStats {
  app: string;
  pending: number;
  oldestQueuedAt: Date;
}

/** The delivery's own columns; app and subject are read from its event (the same values). */
interface DeliveryRow {
  event_seq: string | number;
  endpoint: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: StoredTime;
  last_error: string | null;
  last_status: number | null;
  created_at: StoredTime;
  delivered_at: StoredTime | null;
  requeued_at: StoredTime | null;
  lease_expires_at: StoredTime | null;
}

/** A delivery row joined with its event's row. */
export type JoinedRow = DeliveryRow & EventRow;

export function toDelivery(row: JoinedRow, snapshots?: SnapshotCodec): Delivery {
  return {
    eventSeq: String(row.event_seq),
    endpoint: row.endpoint,
    app: row.app,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: toDate(row.next_attempt_at),
    lastError: row.last_error,
    lastStatus: row.last_status,
    createdAt: toDate(row.created_at),
    deliveredAt: toDate(row.delivered_at),
    requeuedAt: toDate(row.requeued_at),
    leaseExpiresAt: toDate(row.lease_expires_at),
    event: toEvent(row, snapshots),
  };
}

/** A delivery position as `list` takes it after; a forged one is refused before any query. */
export function checkDeliveryKey(key: DeliveryKey): DeliveryKey {
  if (!/^[1-9][0-9]{0,15}$/.test(key.eventSeq)) throw new LedgerInputError('after', 'not a delivery cursor');
  return key;
}
