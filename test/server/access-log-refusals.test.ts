import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/logger.js';
import { CSRF_HEADERS } from '../../src/server/security.js';
import { APP } from '../helpers/gateway.js';
import { useGateway } from '../helpers/gateway-suite.js';

/**
 * Refusals the gateway makes before or beside GraphQL (CSRF, method, media types) over real HTTP:
 * each access line carries the status the caller got and the code its body names, or, for an
 * answer without a body, the code of its status; never INTERNAL_SERVER_ERROR, which says the
 * gateway failed when it refused a request on purpose.
 */

const raw: string[] = [];
const log = createLogger({ level: 'info' }, { write: (line: string) => void raw.push(line) });
const lines = () =>
  raw
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    // The edge's own refusals (a PUT: 405) are access lines too, under their own message.
    .filter((l) => l.msg === 'graphql request' || l.msg === 'refused request');
const g = useGateway({ gatewayOptions: { logger: log } });

const QUERY = `query Items { items(app: "${APP}") { __typename } }`;
const STREAM = `subscription Live { gatewayEvents(app: "${APP}") { id } }`;

interface Refusal {
  status: number;
  /** The body's `errors[].extensions.code`, or null for an answer without a body. */
  bodyCodes: string[] | null;
  logged: Record<string, unknown> | undefined;
}

async function send(path: string, init: RequestInit): Promise<Refusal> {
  raw.length = 0;
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${g.keys.rw}`);
  const response = await fetch(`${g.url.replace(/\/graphql$/, '')}${path}`, { ...init, headers });
  let text = await response.text();
  // A refused stream is answered as one: its error is the first event's data.
  if (response.headers.get('content-type')?.startsWith('text/event-stream'))
    text = /^data: (.*)$/m.exec(text)?.[1] ?? '';
  const body = text === '' ? null : (JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] });
  const bodyCodes = body && (body.errors ?? []).map((e) => e.extensions?.code ?? '(none)');
  const [logged, ...more] = lines();
  expect(more).toEqual([]);
  return { status: response.status, bodyCodes, logged };
}

const get = (query: string, accept: string, extra: Record<string, string> = {}) =>
  send(`/graphql?${new URLSearchParams({ query })}`, { headers: { accept, ...extra } });

describe('access log of refusals', () => {
  it('a live stream without the CSRF header, as GraphiQL used to send it: 403 CSRF_HEADER_REQUIRED in body and log', async () => {
    const refusal = await get(STREAM, 'text/event-stream');
    expect(refusal.status).toBe(403);
    expect(refusal.logged).toMatchObject({ status: 403, errorCodes: ['CSRF_HEADER_REQUIRED'] });
    expect(refusal.bodyCodes).toEqual(['CSRF_HEADER_REQUIRED']);
  });

  it('a GET query without the CSRF header: the same', async () => {
    const refusal = await get(QUERY, 'application/json');
    expect(refusal.status).toBe(403);
    expect(refusal.logged).toMatchObject({ status: 403, errorCodes: ['CSRF_HEADER_REQUIRED'] });
    expect(refusal.bodyCodes).toEqual(['CSRF_HEADER_REQUIRED']);
  });

  it('a GET mutation (405) and a PUT (405): the body code, BAD_REQUEST', async () => {
    const mutation = await get(
      `mutation M { syncRevocations(input: { app: "${APP}" }) { __typename } }`,
      'application/json',
      { [CSRF_HEADERS[0] as string]: '1' },
    );
    expect(mutation.status).toBe(405);
    expect(mutation.bodyCodes).toEqual(['BAD_REQUEST']);
    expect(mutation.logged).toMatchObject({ status: 405, errorCodes: ['BAD_REQUEST'] });
    const put = await send('/graphql', {
      method: 'PUT',
      // fetch sends the body's length itself: a Content-Length set by hand is refused by the undici
      // package's dispatcher, which its entry point installs for Node's own fetch (nodejs/undici#5500).
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(put.status).toBe(405);
    expect(put.logged).toMatchObject({ status: 405, errorCodes: put.bodyCodes });
    expect(put.logged?.errorCodes).not.toContain('INTERNAL_SERVER_ERROR');
  });

  it('a body of an unsupported media type (415, no body): UNSUPPORTED_MEDIA_TYPE', async () => {
    const refusal = await send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/xml', [CSRF_HEADERS[0] as string]: '1' },
      body: '<query/>',
    });
    expect(refusal.status).toBe(415);
    expect(refusal.logged).toMatchObject({ status: 415, errorCodes: ['UNSUPPORTED_MEDIA_TYPE'] });
  });

  it('an Accept the gateway cannot answer (406, no body): NOT_ACCEPTABLE', async () => {
    const refusal = await send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/xml' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(refusal.status).toBe(406);
    expect(refusal.bodyCodes).toBeNull();
    expect(refusal.logged).toMatchObject({ status: 406, errorCodes: ['NOT_ACCEPTABLE'] });
  });

  it('a body over the limit (413) and one without a length (411): the codes their bodies name', async () => {
    const big = await send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `${QUERY}${' '.repeat(g.config.limits.maxBodyBytes)}` }),
    });
    expect(big.status).toBe(413);
    expect(big.bodyCodes).toEqual(['PAYLOAD_TOO_LARGE']);
    expect(big.logged).toMatchObject({ status: 413, errorCodes: ['PAYLOAD_TOO_LARGE'] });
    const body = new Blob([JSON.stringify({ query: QUERY })]).stream();
    const chunked = await send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(411);
    expect(chunked.bodyCodes).toEqual(['LENGTH_REQUIRED']);
    expect(chunked.logged).toMatchObject({ status: 411, errorCodes: ['LENGTH_REQUIRED'] });
  });
});
