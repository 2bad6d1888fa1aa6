export { createGatewayClient, type GatewayClient, type OperationHelpers } from './client.js';
export { type GatewayError, GatewayRequestError } from './errors.js';
export * from './generated/graphql.js';
export { type CallOptions, DEFAULT_TIMEOUT_MS, type GatewayClientOptions } from './http.js';
export type { RedeemResult } from './redeem.js';
export { type GatewayEvent, type StreamOptions, streamGatewayEvents } from './stream.js';
export {
  type VerifyWebhookOptions,
  verifyWebhook,
  type WebhookEvent,
  type WebhookHeaders,
  WebhookSignatureError,
} from './webhook.js';
