import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { mediaType, type Reply, readBody } from '../http-io.js';
import { marketOf } from './checks.js';
import { OneStoreFailure } from './codes.js';
import type { OneStoreDeps } from './deps.js';

const REQUIRED = ['grant_type', 'client_id', 'client_secret'] as const;

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * POST /v7/oauth/token. The document names no code for wrong credentials; the sandbox answers
 * UnauthorizedAccess (403), and AccessBlocked for an app blocked through the control API.
 */
export async function issueToken(req: IncomingMessage, deps: OneStoreDeps): Promise<Reply> {
  if (mediaType(req.headers['content-type']) !== 'application/x-www-form-urlencoded') {
    throw new OneStoreFailure('InvalidContentType');
  }
  const market = marketOf(req);
  const body = await readBody(req, deps.maxBodyBytes);
  if (!body.ok) throw new OneStoreFailure('BadRequest', ['body']);
  const form = new URLSearchParams(body.raw.toString('utf8'));
  const missing = REQUIRED.filter((name) => !form.get(name));
  if (missing.length > 0) throw new OneStoreFailure('RequiredValueNotExist', missing);
  if (form.get('grant_type') !== 'client_credentials')
    throw new OneStoreFailure('InvalidRequest', ['grant_type']);
  const clientId = form.get('client_id') ?? '';
  const app = deps.state.apps.get(clientId);
  if (!app || !sameSecret(app.clientSecret, form.get('client_secret') ?? '')) {
    throw new OneStoreFailure('UnauthorizedAccess');
  }
  if (app.blocked) throw new OneStoreFailure('AccessBlocked');
  const now = deps.clock.now();
  const token = deps.state.tokens.issue(clientId, market, now);
  return {
    status: 200,
    body: {
      client_id: clientId,
      access_token: token.value,
      token_type: 'bearer',
      expires_in: Math.floor((token.expiresAt - now) / 1000),
      scope: 'DEFAULT',
    },
  };
}
