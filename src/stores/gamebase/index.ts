export type { ResultCodeInfo } from '../http/envelope.js';
export type { CallOptions } from '../http/store-call.js';
export {
  type ActiveSubscriptionsRequest,
  type ConsumeRequest,
  GAMEBASE_BASE_URL,
  GamebaseClient,
  type GamebaseClientOptions,
  type ListConsumablesRequest,
  type PaymentTransactionRequest,
  type SubscriptionStatusRequest,
} from './client.js';
export {
  describeResultCode,
  GAMEBASE_PRODUCT_TYPES,
  GAMEBASE_RESULT_CODES,
  GAMEBASE_STORE_CODES,
  type GamebaseProductType,
  type GamebaseStoreCode,
  gamebaseChangeAnswer,
} from './codes.js';
export { APP_ID_RULE, type PaymentSeq, STATUS_BATCH_MAX } from './inputs.js';
export type { ConsumablePayment, ConsumeResult, PaymentTransaction } from './schemas.js';
export {
  type ActiveSubscription,
  GAMEBASE_INACTIVE_GOOGLE_STATUSES,
  GAMEBASE_REFERENCE_STATUSES,
  type GamebaseInactiveGoogleStatus,
  type GamebaseReferenceStatus,
  type SubscriptionStatus,
} from './subscription-schemas.js';
