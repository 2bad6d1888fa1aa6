// Events: their types and payloads, and how every loop retries. Below the ledger (which takes its
// event types from types.ts); imports only entitlements/ and stores/ (payload types) and vocabulary/.

export { changeData, type EventData, periodRefundData } from './data.js';
export {
  changeIntentRetry,
  listenerReconnect,
  pendingGrantRetry,
  retryDelayMs,
  STREAM_READ_RETRY,
  subscriptionReadRetry,
  type WebhookRetrySettings,
  webhookRetry,
} from './retry-policies.js';
export { type RetryDecision, RetryPolicy, type RetryPolicyOptions } from './retry-policy.js';
export {
  type ChangeEventType,
  EVENT_TYPES,
  type EventType,
  type GrantEventType,
  SUPPORT_EVENT_TYPES,
  type SupportEventType,
} from './types.js';
