import type { IncomingMessage } from 'node:http';
import type { Reply } from '../http-io.js';
import { authorizeCall } from './checks.js';
import { errorReply, OneStoreFailure } from './codes.js';
import type { AuthorizedCall, OneStoreDeps } from './deps.js';
import { getUnconfirmedPurchases, getVoidedPurchases } from './list-endpoints.js';
import {
  acknowledgePurchase,
  cancelRecurringPurchase,
  consumePurchase,
  getPurchaseDetails,
  getRecurringPurchaseDetails,
  getSubscriptionDetail,
  reactivateRecurringPurchase,
} from './purchase-endpoints.js';
import type { OneStoreEndpoint, RouteResult } from './routes.js';
import { cancelSubscription, deferSubscription, reactivateSubscription } from './subscription-endpoints.js';
import { issueToken } from './token-endpoint.js';

type Handler = (call: AuthorizedCall, deps: OneStoreDeps) => Reply;

const HANDLERS: Record<Exclude<OneStoreEndpoint, 'token'>, Handler> = {
  getPurchaseDetails,
  getRecurringPurchaseDetails,
  acknowledgePurchase,
  consumePurchase,
  cancelRecurringPurchase,
  reactivateRecurringPurchase,
  getVoidedPurchases,
  getUnconfirmedPurchases,
  getSubscriptionDetail,
  cancelSubscription,
  reactivateSubscription,
  deferSubscription,
};

/** Answers one ONE store request; every failure becomes the document's standard error answer. */
export function handleOneStore(
  route: RouteResult,
  req: IncomingMessage,
  query: URLSearchParams,
  deps: OneStoreDeps,
): Reply | Promise<Reply> {
  try {
    switch (route.kind) {
      case 'none':
        return errorReply('ResourceNotFound');
      case 'wrongMethod':
        return errorReply('MethodNotAllowed');
      case 'badEncoding':
        return errorReply('InvalidRequest', ['path']);
      case 'matched': {
        if (route.endpoint === 'token') return issueToken(req, deps).catch(failureReply);
        const handler = HANDLERS[route.endpoint];
        const call = authorizeCall(req, route.params, query, deps);
        if (call instanceof Promise) return call.then((c) => handler(c, deps)).catch(failureReply);
        return handler(call, deps);
      }
    }
  } catch (error) {
    return failureReply(error);
  }
}

function failureReply(error: unknown): Reply {
  if (error instanceof OneStoreFailure) return errorReply(error.code, error.fields);
  return errorReply('InternalError');
}
