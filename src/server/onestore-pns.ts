import type { KeyObject } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config/load.js';
import type { LedgerHandle } from '../graphql/context.js';
import { LedgerUnavailable } from '../ledger/index.js';
import { type NoticeResult, noticeDigest } from '../redemption/notifications.js';
import { isStoreError, type RequestScope } from '../stores/index.js';
import type { GatewayMetrics } from './metrics.js';
import { licenceKey, pnsMessageSchema, verifySignature } from './pns-message.js';

/** Where ONE store posts an app's payment notifications: `POST /notifications/onestore/{app}`. */
export const PNS_PATH_PREFIX = '/notifications/onestore/';

/**
 * The `{app}` of `/notifications/onestore/{app}`, one non-empty path segment, or undefined for any
 * other path: a longer one (`…/{app}/graphql`) or an empty app is no notification path, so the
 * edge answers it 404 with its access line and metric.
 */
export function pnsAppOf(pathname: string): string | undefined {
  if (!pathname.startsWith(PNS_PATH_PREFIX)) return undefined;
  const app = pathname.slice(PNS_PATH_PREFIX.length);
  return app === '' || app.includes('/') ? undefined : app;
}
/** Largest notification body, bytes: a v21 message is well under 2 KiB. */
export const PNS_MAX_BODY_BYTES = 16_384;
/** Refused-notification log lines per second at most (anyone can post to this path); the rest are only counted. */
const REFUSED_LINES_PER_SECOND = 10;

/** How a notification request ended (the metric's `result` label). */
export type PnsResult =
  | 'accepted'
  | 'replayed'
  | 'refused_method'
  | 'refused_app'
  | 'refused_size'
  | 'refused_body'
  | 'refused_unsigned'
  | 'refused_signature'
  | 'refused_client'
  | 'deferred'
  | 'failed';

export interface PnsLogger {
  info(obj: Record<string, unknown>, msg: string): void;
}

interface Answer {
  status: number;
  result: PnsResult;
  message?: string;
  /** Why a notification failed (an error's name, never its text). */
  err?: string;
  notice?: NoticeResult & {
    purchaseId: string;
    purchaseState: string;
    /**
     * The notice's `environment` when it is not the app's configured ONE store environment (SANDBOX
     * against `production`, COMMERCIAL against `sandbox`): logged, for an operator to look at the
     * config. It decides nothing: the grants keep the environment their redemption gave them.
     */
    otherEnvironment?: 'SANDBOX' | 'COMMERCIAL';
  };
}

const reply = (a: Answer, headers: Record<string, string> = {}) =>
  new Response(
    JSON.stringify({
      result: a.result,
      ...(a.notice && { outcome: a.notice.replayed && a.status === 200 ? 'replayed' : a.notice.outcome }),
      ...(a.message && { message: a.message }),
    }),
    {
      status: a.status,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    },
  );

/** The body, or null once it passes `max` bytes (read no further). */
async function readLimited(request: Request, max: number): Promise<Buffer | null> {
  const reader = request.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * `POST /notifications/onestore/{app}`: ONE store's payment notifications (docs/events.md). No API
 * key (ONE store sends none): the app's licence key signs the message instead. Everything that can
 * be refused is refused before the ledger or a store is touched: an unknown app or one without a
 * licence key (404), a body over 16 KiB (413, from Content-Length and while reading), a body that
 * is not a v21 message (400), no signature (401), a signature that does not verify or a clientId
 * that is not the app's (403). A verified notification is acted on only after the store is read
 * again (`PaymentNotifications`); a replay is answered 200 with no store call. Store or ledger
 * trouble is a 503, so ONE store sends it again. `scopeOf` gives the request's scope (its deadline
 * bounds the store reads, its id is logged); default none.
 */
export function onestorePnsPlugin(
  config: GatewayConfig,
  ledger: LedgerHandle,
  metrics: GatewayMetrics,
  logger?: PnsLogger,
  scopeOf: (request: Request) => RequestScope | undefined = () => undefined,
): Plugin {
  const keys = new Map<string, { key: KeyObject; clientId: string; environment: 'SANDBOX' | 'COMMERCIAL' }>();
  for (const [name, app] of config.apps)
    if (app.onestore?.licensePublicKey)
      keys.set(name, {
        key: licenceKey(app.onestore.licensePublicKey),
        clientId: app.onestore.clientId,
        // The notice's word for the app's configured environment.
        environment: app.onestore.environment === 'sandbox' ? 'SANDBOX' : 'COMMERCIAL',
      });
  const refusedLines = { second: 0, written: 0 };

  const handle = async (request: Request, app: string): Promise<Answer> => {
    if (request.method !== 'POST') return { status: 405, result: 'refused_method', message: 'POST only.' };
    const known = keys.get(app);
    if (!known) return { status: 404, result: 'refused_app', message: 'No such notification endpoint.' };
    const length = request.headers.get('content-length');
    if (length !== null && (!/^\d{1,15}$/.test(length) || Number(length) > PNS_MAX_BODY_BYTES))
      return { status: 413, result: 'refused_size', message: 'The body is too large.' };
    const body = await readLimited(request, PNS_MAX_BODY_BYTES);
    if (body === null) return { status: 413, result: 'refused_size', message: 'The body is too large.' };
    let raw: unknown;
    try {
      raw = JSON.parse(body.toString('utf8'));
    } catch {
      return { status: 400, result: 'refused_body', message: 'The body is not JSON.' };
    }
    const parsed = pnsMessageSchema.safeParse(raw);
    if (!parsed.success || typeof raw !== 'object' || raw === null || Array.isArray(raw))
      return {
        status: 400,
        result: 'refused_body',
        message: 'The body is not a ONE store payment notification.',
      };
    const message = parsed.data;
    if (message.signature === undefined)
      return { status: 401, result: 'refused_unsigned', message: 'The notification is not signed.' };
    if (!verifySignature(raw as Record<string, unknown>, message.signature, known.key))
      return { status: 403, result: 'refused_signature', message: 'The signature does not verify.' };
    if (message.clientId !== known.clientId)
      return { status: 403, result: 'refused_client', message: "The clientId is not this app's." };
    const notice = await (await ledger.redemption()).notifications.handle(
      {
        app,
        purchaseId: message.purchaseId,
        purchaseState: message.purchaseState,
        marketCode: message.marketCode,
        digest: noticeDigest(message.purchaseId, message.purchaseState, message.signature),
      },
      { scope: scopeOf(request) },
    );
    const described = {
      ...notice,
      purchaseId: message.purchaseId,
      purchaseState: message.purchaseState,
      ...(message.environment !== undefined &&
        message.environment !== known.environment && { otherEnvironment: message.environment }),
    };
    // A cancellation the store does not show yet: nothing changed; a 503 makes ONE store send it
    // again, by when its purchase API may agree. A resend while the verdict is remembered
    // (`ledger.pnsStoreDisagreesTtlSeconds`) gets the same answer without a store read.
    if (notice.outcome === 'store_disagrees')
      return { status: 503, result: 'deferred', message: 'Try again later.', notice: described };
    return { status: 200, result: notice.replayed ? 'replayed' : 'accepted', notice: described };
  };

  const log = (answer: Answer, app: string, started: number, request: Request) => {
    if (!logger) return;
    if (answer.result.startsWith('refused')) {
      const second = Math.floor(Date.now() / 1000);
      if (second !== refusedLines.second) Object.assign(refusedLines, { second, written: 0 });
      if (refusedLines.written++ >= REFUSED_LINES_PER_SECOND) return;
    }
    // Ids and codes only: never the body, the signature or the licence key.
    logger.info(
      {
        requestId: scopeOf(request)?.requestId,
        status: answer.status,
        // An app name that is not configured is caller-chosen text: not echoed.
        app: keys.has(app) ? app : null,
        result: answer.result,
        ...(answer.err && { err: answer.err }),
        ...(answer.notice && {
          outcome: answer.notice.outcome,
          ...(answer.notice.replayed && { replayed: true }),
          purchaseId: answer.notice.purchaseId,
          purchaseState: answer.notice.purchaseState,
          grantIds: answer.notice.grantIds,
          ...(answer.notice.otherEnvironment && { otherEnvironment: answer.notice.otherEnvironment }),
        }),
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      },
      'onestore notification',
    );
  };

  return {
    onRequest: async ({ request, url, endResponse }) => {
      const app = pnsAppOf(url.pathname);
      if (app === undefined) return;
      const started = performance.now();
      let answer: Answer;
      try {
        answer = await handle(request, app);
      } catch (error) {
        // The store could not be read or the ledger written: nothing recorded, ONE store resends.
        const known = error instanceof LedgerUnavailable || isStoreError(error);
        answer = {
          status: 503,
          result: 'failed',
          message: known ? 'Try again later.' : 'Internal error.',
          err: error instanceof Error ? error.name : 'unknown',
        };
      }
      metrics.notification(answer.result, answer.notice?.outcome ?? 'none');
      log(answer, app, started, request);
      endResponse(reply(answer, answer.status === 503 ? { 'retry-after': '60' } : {}));
    },
  };
}
