export type OneStoreEndpoint =
  | 'token'
  | 'getPurchaseDetails'
  | 'getRecurringPurchaseDetails'
  | 'acknowledgePurchase'
  | 'consumePurchase'
  | 'cancelRecurringPurchase'
  | 'reactivateRecurringPurchase'
  | 'getVoidedPurchases'
  | 'getUnconfirmedPurchases'
  | 'getSubscriptionDetail'
  | 'cancelSubscription'
  | 'reactivateSubscription'
  | 'deferSubscription';

export interface PathParams {
  clientId?: string;
  productId?: string;
  purchaseToken?: string;
}

interface Route {
  endpoint: OneStoreEndpoint;
  method: 'GET' | 'POST';
  segments: string[];
}

const product = (type: string, ...tail: string[]) => [
  'v7',
  'apps',
  ':clientId',
  'purchases',
  type,
  'products',
  ':productId',
  ':purchaseToken',
  ...tail,
];

/** Every endpoint of the v7 document, with its method and path. */
const ROUTES: Route[] = [
  { endpoint: 'token', method: 'POST', segments: ['v7', 'oauth', 'token'] },
  { endpoint: 'getPurchaseDetails', method: 'GET', segments: product('inapp') },
  { endpoint: 'getRecurringPurchaseDetails', method: 'GET', segments: product('auto') },
  { endpoint: 'acknowledgePurchase', method: 'POST', segments: product('all', 'acknowledge') },
  { endpoint: 'consumePurchase', method: 'POST', segments: product('inapp', 'consume') },
  { endpoint: 'cancelRecurringPurchase', method: 'POST', segments: product('auto', 'cancel') },
  { endpoint: 'reactivateRecurringPurchase', method: 'POST', segments: product('auto', 'reactivate') },
  {
    endpoint: 'getVoidedPurchases',
    method: 'GET',
    segments: ['v7', 'apps', ':clientId', 'voided-purchases'],
  },
  {
    endpoint: 'getUnconfirmedPurchases',
    method: 'GET',
    segments: ['v7', 'apps', ':clientId', 'unconfirmed-purchases'],
  },
  { endpoint: 'getSubscriptionDetail', method: 'GET', segments: product('subscription') },
  { endpoint: 'cancelSubscription', method: 'POST', segments: product('subscription', 'cancel') },
  { endpoint: 'reactivateSubscription', method: 'POST', segments: product('subscription', 'reactivate') },
  { endpoint: 'deferSubscription', method: 'POST', segments: product('subscription', 'defer') },
];

export type RouteResult =
  | { kind: 'matched'; endpoint: OneStoreEndpoint; params: PathParams }
  | { kind: 'wrongMethod'; endpoint: OneStoreEndpoint }
  | { kind: 'badEncoding'; endpoint: OneStoreEndpoint }
  | { kind: 'none' };

/** Matches a request path (already split off its query) against the document's endpoints. */
export function routeOneStore(method: string, path: string): RouteResult {
  const parts = path.split('/').slice(1);
  let wrongMethod: OneStoreEndpoint | undefined;
  for (const route of ROUTES) {
    if (route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let matches = true;
    let badEncoding = false;
    for (let i = 0; i < parts.length && matches; i++) {
      const want = route.segments[i] ?? '';
      const got = parts[i] ?? '';
      if (want.startsWith(':')) {
        if (got === '') matches = false;
        else {
          try {
            params[want.slice(1)] = decodeURIComponent(got);
          } catch {
            badEncoding = true;
          }
        }
      } else if (want !== got) matches = false;
    }
    if (!matches) continue;
    if (route.method !== method) {
      wrongMethod ??= route.endpoint;
      continue;
    }
    if (badEncoding) return { kind: 'badEncoding', endpoint: route.endpoint };
    return { kind: 'matched', endpoint: route.endpoint, params };
  }
  return wrongMethod ? { kind: 'wrongMethod', endpoint: wrongMethod } : { kind: 'none' };
}
