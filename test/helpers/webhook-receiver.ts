import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/**
 * The README's receiver check, as written there: the HMAC of `<t>.<raw body>` with the endpoint's
 * secret, compared in constant time, and `t` within `toleranceSeconds` of now (replays refused).
 */
export function verifySignature(
  header: string | undefined,
  rawBody: string,
  secret: string,
  toleranceSeconds = 300,
): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(String(parts.v1 ?? ''), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * A receiver that uses only the `standardwebhooks` package (Standard Webhooks' maintained library):
 * true when it verifies the request's `webhook-*` headers over the raw body with the endpoint's
 * secret, given as the library's docs tell for a secret not in `whsec_` form (its raw format).
 */
export function verifyStandard(r: Pick<Received, 'headers' | 'rawBody'>, secret: string): boolean {
  const hook = secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(secret, { format: 'raw' });
  try {
    hook.verify(r.rawBody, r.headers);
    return true;
  } catch {
    return false;
  }
}

/** One request the receiver got. */
export interface Received {
  id: string;
  type: string;
  attempt: number;
  /** `Gateway-Signature` (the `gateway-v1` scheme's). */
  signature: string | undefined;
  /** Every header, lower-cased, single-valued (what a Standard Webhooks library is handed). */
  headers: Record<string, string>;
  rawBody: string;
  body: Record<string, unknown> & { id: string; type: string; grant: { id: string } | null };
  /** The status the receiver answered (0: it never answered). */
  answered: number;
}

/** How the receiver answers a request: a status, or `hang` (never answers). */
export type Answer = number | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** The answer to each request from now on. Default 200. */
  answer: (fn: (r: Received) => Answer) => void;
  /** Stops listening (connections refused) until `up`. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Resolves when `predicate` holds over what was received (polls every 20 ms), or rejects after `ms`. */
  until(predicate: (received: Received[]) => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** A webhook receiver over node:http on a port of its own (kept across down/up). */
export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let decide: (r: Received) => Answer = () => 200;
  const hanging = new Set<ServerResponse>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const r: Received = {
        id: String(req.headers['gateway-event-id']),
        type: String(req.headers['gateway-event-type']),
        attempt: Number(req.headers['gateway-delivery-attempt']),
        signature: req.headers['gateway-signature'] as string | undefined,
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
        ),
        rawBody,
        body: JSON.parse(rawBody) as Received['body'],
        answered: 0,
      };
      received.push(r);
      const answer = decide(r);
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      r.answered = answer;
      res.writeHead(answer).end();
    });
  };
  let server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const stop = async () => {
    for (const res of hanging) res.destroy();
    hanging.clear();
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    answer: (fn) => {
      decide = fn;
    },
    down: stop,
    up: async () => {
      server = createServer(handler);
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    until: async (predicate, ms = 20_000) => {
      const deadline = Date.now() + ms;
      while (!predicate(received)) {
        if (Date.now() > deadline)
          throw new Error(`receiver: condition not met in ${ms} ms; got ${received.length} requests`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: async () => {
      if (server.listening) await stop();
    },
  };
}
