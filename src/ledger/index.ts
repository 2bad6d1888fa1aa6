// The durable grant ledger: storage only (no GraphQL, no store calls). See docs/ledger.md.
export { type Checkpoint, type CheckpointProgress, CheckpointStore } from './checkpoints.js';
export {
  type CursorList,
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
  InvalidPageSizeError,
  type KeysetPosition,
  MAX_PAGE_SIZE,
} from './cursor.js';
export { openLedgerDb } from './db.js';
export { DeliveryStore } from './deliveries.js';
export {
  checkDeliveryKey,
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryKey,
  type DeliveryPage,
  type DeliveryStatus,
  type PendingStats,
} from './delivery.js';
export {
  type Dialect,
  POSTGRES_DIALECT,
  SQLITE_DIALECT,
  type StoredJson,
  type StoredTime,
  toDate,
  toJson,
} from './dialect.js';
export {
  checkText,
  LedgerConnectError,
  type LedgerErrorKind,
  LedgerFault,
  LedgerInputError,
  LedgerUnavailable,
  ledgerErrorKind,
} from './errors.js';
export { EventWakeups, type EventWakeupsOptions } from './event-listener.js';
export { type EventStreamRequest, streamEvents } from './event-stream.js';
export {
  EVENT_TYPES,
  EVENTS_CHANNEL,
  type EventRecorder,
  EventStore,
  type EventStoreOptions,
  type EventType,
  type LedgerEvent,
  type NewEvent,
} from './events.js';
export {
  type Grant,
  type GrantAction,
  GrantNotFoundError,
  type GrantStatus,
  type GrantStoreName,
  type NewGrant,
} from './grant.js';
export {
  type ClaimResult,
  type GrantFilter,
  type GrantPage,
  GrantStore,
  type PageRequest,
} from './grants.js';
export { type ChangeIntent, ChangeIntentStore, type NewIntent } from './intents.js';
export { MIGRATIONS, type Migration, migrate } from './migrations.js';
export {
  type NotificationPurchaseState,
  type NotificationRecord,
  NotificationStore,
  type ProcessedNotification,
} from './notifications.js';
export {
  type EntitlementMark,
  type EntitlementMarks,
  type PlayerEntitlementRow,
  PlayerEntitlementStore,
  type Recomputation,
  type Recompute,
} from './player-entitlements.js';
export { RECOMPUTE_AT_ONCE } from './player-marks.js';
export {
  MAX_PLAYERS,
  type PlayerEventPage,
  type PlayerPageRequest,
  PlayerReads,
  type ProductMatch,
  playerSubject,
} from './player-reads.js';
export {
  SNAPSHOT_UPGRADES,
  SNAPSHOTS,
  SnapshotCodec,
  type SnapshotData,
  type SnapshotUpgrade,
} from './snapshot.js';
export {
  LedgerFileCondition,
  type LedgerFileEvent,
  SQLITE_WRITE_OUTAGE,
  type WriteProblem,
} from './sqlite-condition.js';
export {
  type NewSupportGrant,
  type RevokeOutcome,
  type SupportGrant,
  SupportGrantStore,
  type SupportRevocation,
} from './support-grants.js';
export {
  CHECK_AT_ONCE,
  type NewTracked,
  type Observed,
  type TrackedSubscription,
  TrackedSubscriptionStore,
  trackedOfGrant,
} from './tracked-subscriptions.js';
export {
  LEDGER_LOCK_KEY,
  LedgerConfigError,
  type LedgerDb,
  type LedgerDbOptions,
  type ListenConnection,
  type Queryable,
  SQLITE_FILE,
} from './types.js';
