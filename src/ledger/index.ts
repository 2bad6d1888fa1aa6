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
export {
  LedgerConfigError,
  type LedgerDb,
  type LedgerDbOptions,
  openLedgerDb,
  type Queryable,
} from './db.js';
export {
  checkText,
  type LedgerErrorKind,
  LedgerFault,
  LedgerInputError,
  LedgerUnavailable,
  ledgerErrorKind,
} from './errors.js';
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
export { LEDGER_LOCK_KEY, MIGRATIONS, type Migration, migrate } from './migrations.js';
