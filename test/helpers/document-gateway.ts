import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect } from 'vitest';
import { resolveConfig } from '../../src/config/load.js';
import { sha256Hex } from '../../src/server/api-keys.js';
import { createGateway } from '../../src/server/create-gateway.js';
import type { Answer } from './fake-onestore-lists.js';
import { useStarted } from './gateway-suite.js';

/**
 * The real gateway (yoga.fetch) over a local HTTP server that answers each store path with what a
 * test gives, typically a store document's example text (test/stores/fixtures/document-examples.ts):
 * for answers the sandbox cannot give. App `docs` has the ONE store document's clientId and secret
 * and NHN's example appSeq; the routes and the calls seen are cleared after each test.
 */

export const DOCUMENT_APP = 'docs';
export const DOCUMENT_CLIENT_ID = 'com.onestore.game.goindol';
const KEY = 'document-answers-key';

export interface DocumentGateway {
  /** Answers `method path` (path without the query string) with `answer` until the test ends. */
  serve(method: string, path: string, answer: Answer): void;
  /** A GraphQL request with the app's read/write key; fails the test on top-level errors. */
  gql(query: string, variables?: object): Promise<Record<string, unknown>>;
  /** Every call the store got, as `METHOD path`. */
  readonly seen: string[];
  close(): Promise<void>;
}

export function useDocumentGateway(): DocumentGateway {
  const routes = new Map<string, Answer>();
  const seen: string[] = [];
  afterEach(() => {
    routes.clear();
    seen.length = 0;
  });
  return useStarted(async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        seen.push(`${req.method} ${path}`);
        const answer = routes.get(`${req.method} ${path}`);
        if (!answer) {
          res.writeHead(599, { 'content-type': 'text/plain' }).end('no example here');
          return;
        }
        res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = resolveConfig(
      {
        apps: {
          [DOCUMENT_APP]: {
            onestore: {
              clientId: DOCUMENT_CLIENT_ID,
              clientSecret: { env: 'ONESTORE_SECRET' },
              baseUrl: base,
            },
            nhncloud: { appSeq: '1000272', baseUrl: base },
          },
        },
        apiKeys: [{ name: 'docs', sha256: sha256Hex(KEY), apps: [DOCUMENT_APP], scopes: ['read', 'write'] }],
        breaker: { enabled: false },
        rateLimits: { enabled: false },
      },
      { ONESTORE_SECRET: 'vxIMAGcVz3DAx20uDBr/IDWNJAPNHFl7YruF4uxB6BI=' },
    );
    const gateway = createGateway(config);
    return {
      serve: (method, path, answer) => {
        routes.set(`${method} ${path}`, answer);
      },
      async gql(query, variables = {}) {
        const response = await gateway.fetch('http://gateway/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
          body: JSON.stringify({ query, variables }),
        });
        const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
        expect(body.errors).toBeUndefined();
        return body.data ?? {};
      },
      seen,
      async close() {
        await gateway.dispose();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  });
}
