import type { IncomingMessage, ServerResponse } from 'node:http';

/** An answer a handler decides on; the server counts it in the stats and writes it. */
export interface Reply {
  status: number;
  /** Serialized as JSON unless `html` is set. */
  body?: unknown;
  html?: string;
  headers?: Record<string, string>;
  /** Send only the first half of the body's bytes (a fault's cut answer); `Content-Length` matches it. */
  cut?: boolean;
}

export type BodyResult = { ok: true; raw: Buffer } | { ok: false; reason: 'tooLarge' | 'aborted' };

/** Reads a request body, stopping at `limit` bytes so an oversized upload cannot hold memory. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit)
    return Promise.resolve({ ok: false, reason: 'tooLarge' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        settle({ ok: false, reason: 'tooLarge' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle({ ok: true, raw: Buffer.concat(chunks) }));
    req.on('error', () => settle({ ok: false, reason: 'aborted' }));
    req.on('close', () => settle({ ok: false, reason: 'aborted' }));
  });
}

/**
 * A body that was announced but not (fully) read: refused early or over the limit. Its socket is
 * closed after the answer rather than drained. A bodiless GET answered synchronously is not
 * `complete` yet either, which is why the headers decide.
 */
export function hasUnreadBody(req: IncomingMessage): boolean {
  if (req.complete) return false;
  const length = Number(req.headers['content-length'] ?? 0);
  return length > 0 || req.headers['transfer-encoding'] !== undefined;
}

/** `application/json; charset=UTF-8` -> `application/json`. */
export function mediaType(header: string | undefined): string {
  if (!header) return '';
  const semi = header.indexOf(';');
  return (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase();
}

export type JsonParse = { ok: true; value: unknown } | { ok: false };

export function parseJson(raw: Buffer): JsonParse {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function writeReply(res: ServerResponse, reply: Reply, closeAfter = false): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string;
  if (reply.html !== undefined) {
    headers['content-type'] = 'text/html; charset=utf-8';
    payload = reply.html;
  } else if (reply.body === undefined) {
    payload = '';
  } else {
    headers['content-type'] = 'application/json;charset=UTF-8';
    payload = JSON.stringify(reply.body);
  }
  if (closeAfter) headers.connection = 'close';
  // Only a fault's cut answer is copied into bytes: the common reply stays a string (hot path).
  const body = reply.cut ? firstHalf(Buffer.from(payload, 'utf8')) : payload;
  headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  res.writeHead(reply.status, headers);
  res.end(body);
}

function firstHalf(bytes: Buffer): Buffer {
  return bytes.subarray(0, Math.floor(bytes.length / 2));
}

/**
 * The origin-form of an absolute-form target (`http://host/path?q` -> `/path?q`), which a server
 * MUST accept (RFC 9112 §3.2.2); any other target comes back unchanged and matches no route. An
 * authority with a userinfo is no http URI (RFC 9110 §4.2.4): unchanged too.
 */
export function originForm(target: string): string {
  if (target.startsWith('/')) return target;
  const absolute = /^https?:\/\/([^/?#]*)(.*)$/i.exec(target);
  if (!absolute || absolute[1] === '' || absolute[1]?.includes('@')) return target;
  const rest = absolute[2] ?? '';
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** Splits `req.url` without the cost of `new URL` on the hot path. */
export function splitUrl(rawUrl: string): { path: string; query: URLSearchParams } {
  const q = rawUrl.indexOf('?');
  if (q === -1) return { path: rawUrl, query: new URLSearchParams() };
  return { path: rawUrl.slice(0, q), query: new URLSearchParams(rawUrl.slice(q + 1)) };
}
