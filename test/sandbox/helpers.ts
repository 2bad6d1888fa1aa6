import { expect } from 'vitest';
import type { HttpAnswer, SandboxHarness } from '../helpers/sandbox.js';

/** The form content type of the document's own token request example. */
export const FORM_TYPE = 'application/x-www-form-urlencoded;charset=UTF-8';

export type Market = 'MKT_ONE' | 'MKT_GLB';
export type ProductType = 'inapp' | 'auto' | 'subscription' | 'all';

/** A JSON object from an answer; fails the test when the body is not one. */
export function obj(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`expected a JSON object, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

/** A JSON array from an answer; fails the test when the value is not one. */
export function arr(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new Error(`expected a JSON array, got ${JSON.stringify(value)}`);
  return value;
}

/** `{"error": {code, message}}` of a ONE store error answer. */
export function errorOf(answer: HttpAnswer): { code: unknown; message: unknown } {
  const error = obj(obj(answer.json).error);
  return { code: error.code, message: error.message };
}

/** Asserts a ONE store standard error answer: HTTP status and error code (and the message when given). */
export function expectError(answer: HttpAnswer, status: number, code: string, message?: string): void {
  expect({ status: answer.status, code: errorOf(answer).code }).toEqual({ status, code });
  if (message !== undefined) expect(errorOf(answer).message).toBe(message);
}

/** Asserts the document's success answer of state changes. */
export function expectSuccess(answer: HttpAnswer): void {
  expect(answer.status).toBe(200);
  expect(answer.json).toEqual({
    result: { code: 'Success', message: 'Request has been completed successfully.' },
  });
}

/** Asserts an NHN envelope: always HTTP 200, `header.resultCode` as given. */
export function expectNhn(answer: HttpAnswer, resultCode: number): Record<string, unknown> {
  expect(answer.status).toBe(200);
  const header = obj(obj(answer.json).header);
  expect({ resultCode: header.resultCode, isSuccessful: header.isSuccessful }).toEqual({
    resultCode,
    isSuccessful: resultCode === 0,
  });
  return obj(answer.json);
}

export interface App {
  clientId: string;
  clientSecret: string;
}

let appSeq = 0;

/** Registers a ONE store app through the control API (a fresh client id unless one is given). */
export async function createApp(h: SandboxHarness, clientId?: string): Promise<App> {
  appSeq++;
  const app = { clientId: clientId ?? `com.example.test${appSeq}`, clientSecret: `secret-${appSeq}/x+y=` };
  await h.control('POST', '/onestore/apps', app);
  return app;
}

/** A fresh app and a valid token of it: what each ONE store API test starts with. */
export async function signedInApp(h: SandboxHarness): Promise<{ app: App; token: string }> {
  const app = await createApp(h);
  return { app, token: await tokenOf(h, app) };
}

/** POST /v7/oauth/token with a form body as the document sends it. */
export function requestToken(
  h: SandboxHarness,
  form: Record<string, string>,
  headers: Record<string, string> = { 'content-type': FORM_TYPE },
): Promise<HttpAnswer> {
  return h.http('POST', '/v7/oauth/token', { headers, body: new URLSearchParams(form).toString() });
}

/** A valid access token for the app. */
export async function tokenOf(h: SandboxHarness, app: App, market?: Market): Promise<string> {
  const answer = await requestToken(
    h,
    { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret },
    { 'content-type': FORM_TYPE, ...(market && { 'x-market-code': market }) },
  );
  expect(answer.status).toBe(200);
  const token = obj(answer.json).access_token;
  if (typeof token !== 'string') throw new Error(`no access_token in ${answer.text}`);
  return token;
}

/** `/v7/apps/{clientId}/purchases/{type}/products/{productId}/{purchaseToken}[/{action}]`, encoded. */
export function productPath(
  clientId: string,
  type: ProductType,
  productId: string,
  purchaseToken: string,
  action?: string,
): string {
  const base = `/v7/apps/${encodeURIComponent(clientId)}/purchases/${type}/products/${encodeURIComponent(productId)}/${encodeURIComponent(purchaseToken)}`;
  return action ? `${base}/${action}` : base;
}

export interface CallOptions {
  token?: string;
  market?: Market;
  body?: unknown;
  /** Replaces the default headers (Content-Type, Authorization, x-market-code) entirely. */
  headers?: Record<string, string>;
  /** A raw body, sent as is. */
  rawBody?: string;
}

/** A ONE store API call with the document's headers: Authorization Bearer, Content-Type JSON, x-market-code. */
export function call(
  h: SandboxHarness,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: CallOptions = {},
): Promise<HttpAnswer> {
  const headers = options.headers ?? {
    'content-type': 'application/json',
    ...(options.token !== undefined && { authorization: `Bearer ${options.token}` }),
    ...(options.market && { 'x-market-code': options.market }),
  };
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return h.http(method, path, { headers, ...(body !== undefined && { body }) });
}

/** A purchase as the control API creates it (the stored record). */
export interface Purchase extends Record<string, unknown> {
  purchaseToken: string;
  purchaseId: string;
  productId: string;
  clientId: string;
  purchaseTime: number;
}

export interface BuySpec {
  productId?: string;
  type?: 'inapp' | 'auto' | 'subscription';
  market?: Market;
  developerPayload?: string;
  quantity?: number;
  acknowledged?: boolean;
  consumed?: boolean;
  purchaseTime?: number;
  periodMs?: number;
  price?: string;
  currency?: string;
  /** Subscriptions: a first free period of this many days. */
  trialDays?: number;
  /** Subscriptions: the first `periods` charged periods cost `price`. */
  promotion?: { price: string; periods: number };
}

/** Creates a purchase through the control API. */
export async function buy(h: SandboxHarness, app: App, spec: BuySpec = {}): Promise<Purchase> {
  const created = await h.control('POST', '/onestore/purchases', {
    clientId: app.clientId,
    ...spec,
    productId: spec.productId ?? 'gem_100',
    type: spec.type ?? 'inapp',
  });
  const { purchaseToken, purchaseId, productId, clientId, purchaseTime } = created;
  if (
    typeof purchaseToken !== 'string' ||
    typeof purchaseId !== 'string' ||
    typeof productId !== 'string' ||
    typeof clientId !== 'string' ||
    typeof purchaseTime !== 'number'
  ) {
    throw new Error(`unexpected purchase record ${JSON.stringify(created)}`);
  }
  return { ...created, purchaseToken, purchaseId, productId, clientId, purchaseTime };
}

/** The stored record of a purchase (control API), settled to the sandbox's now. */
export function record(h: SandboxHarness, purchaseToken: string): Promise<Record<string, unknown>> {
  return h.control('GET', `/onestore/purchases/${purchaseToken}`);
}

/** A purchase path of the app for the purchase. */
export function pathOf(app: App, p: Purchase, type: ProductType, action?: string): string {
  return productPath(app.clientId, type, p.productId, p.purchaseToken, action);
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const KST_MS = 9 * HOUR_MS;
