export type { ResultCodeInfo } from '../http/envelope.js';
export type { CallOptions } from '../http/store-call.js';
export {
  type ConsumeRequest,
  GAMEBASE_BASE_URL,
  GamebaseClient,
  type GamebaseClientOptions,
  type ListConsumablesRequest,
  type PaymentTransactionRequest,
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
export { APP_ID_RULE, type PaymentSeq } from './inputs.js';
export type { ConsumablePayment, ConsumeResult, PaymentTransaction } from './schemas.js';
