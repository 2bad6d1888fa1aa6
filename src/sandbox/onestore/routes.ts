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

const BY_LENGTH = new Map<number, Route[]>();
for (const route of ROUTES)
  BY_LENGTH.set(route.segments.length, [...(BY_LENGTH.get(route.segments.length) ?? []), route]);

function literalsMatch(route: Route, parts: string[]): boolean {
  for (let i = 0; i < parts.length; i++) {
    const want = route.segments[i] ?? '';
    const got = parts[i] ?? '';
    if (want.startsWith(':') ? got === '' : want !== got) return false;
  }
  return true;
}

/** Matches a request path (already split off its query) against the document's endpoints. */
export function routeOneStore(method: string, path: string): RouteResult {
  const parts = path.split('/').slice(1);
  let wrongMethod: OneStoreEndpoint | undefined;
  for (const route of BY_LENGTH.get(parts.length) ?? []) {
    if (!literalsMatch(route, parts)) continue;
    if (route.method !== method) {
      wrongMethod ??= route.endpoint;
      continue;
    }
    const params: Record<string, string> = {};
    try {
      route.segments.forEach((want, i) => {
        if (want.startsWith(':')) params[want.slice(1)] = decodeURIComponent(parts[i] ?? '');
      });
    } catch {
      return { kind: 'badEncoding', endpoint: route.endpoint };
    }
    return { kind: 'matched', endpoint: route.endpoint, params };
  }
  return wrongMethod ? { kind: 'wrongMethod', endpoint: wrongMethod } : { kind: 'none' };
}
