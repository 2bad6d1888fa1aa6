export type { CallOptions } from '../http/store-call.js';
export {
  type ConsumableListRequest,
  type ConsumeRequest,
  NHNCLOUD_BASE_URL,
  NhnCloudClient,
  type NhnCloudClientOptions,
} from './client.js';
export {
  describeResultCode,
  NHNCLOUD_RESULT_CODES,
  type NhnCloudResultName,
  nhnCloudChangeAnswer,
} from './codes.js';
export { SEQUENCE_RULE, type Sequence } from './inputs.js';
export type { ConsumablePayment, ConsumeResult, Item, ItemList } from './schemas.js';
