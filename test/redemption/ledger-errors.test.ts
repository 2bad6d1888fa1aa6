import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/ledger/index.js';
import type { LedgerStorage } from '../../src/redemption/service.js';
import { APP, type GatewayHarness, purchase, startGateway } from '../helpers/gateway.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { ledgerFor, redeem } from '../helpers/redeem.js';
import { useLedgerGateway } from '../helpers/redemption-gateway.js';

/** Log lines the gateway wrote, by level. */
function captureLog() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) => {
    lines.push({ level, obj, msg });
  };
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

const ONE = `query ($id: ID!) { grant(app: "${APP}", id: $id) {
  __typename ... on Error { code message } ... on InvalidInputError { field }
  ... on LedgerUnavailableError { retryAfterSeconds } } }`;
const LIST = `query ($after: String) { grants(app: "${APP}", userId: "player-1", first: 10, after: $after) {
  __typename ... on Error { code } ... on InvalidInputError { field } } }`;

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`ledger errors at the GraphQL edge, ${backend.name}`, () => {
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    const log = captureLog();
    const gateway = { gatewayOptions: { logger: log.logger } };
    useLedgerGateway(backend, { gateway, startTimeoutMs: 120_000, closeTimeoutMs: 60_000 }, (started) => {
      ({ g, ledger } = started);
    });

    it('a grant id holding a NUL byte or a lone surrogate is InvalidInputError, not an outage', async () => {
      for (const id of ['grant\u0000id', 'grant-\ud800']) {
        const answer = await g.gql(ONE, { id });
        expect(answer.data.grant).toMatchObject({ __typename: 'InvalidInputError', field: 'id' });
      }
      expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
    });

    it('a cursor holding a NUL byte is InvalidInputError on after', async () => {
      const after = encodeCursor('user', { at: new Date(0), id: 'a\u0000b' });
      const answer = await g.gql(LIST, { after });
      expect(answer.data.grants).toMatchObject({ __typename: 'InvalidInputError', field: 'after' });
    });

    it('a redemption whose idempotency key the ledger cannot store never reaches the store', async () => {
      const p = await purchase(g);
      await g.resetStats();
      const answer = await redeem(g, {
        app: APP,
        userId: 'player-1',
        idempotencyKey: 'key\u0000x',
        onestore: { productId: p.productId, purchaseToken: p.purchaseToken },
      });
      expect(answer).toMatchObject({ __typename: 'InvalidInputError', field: 'input.idempotencyKey' });
      expect((await g.h.stats()).total).toBe(0);
    });

    it('any other database error is a masked internal error with the request id, logged at error level', async () => {
      // A broken schema: the query fails for a reason that retrying will not fix.
      await ledger.db.query('ALTER TABLE grants RENAME COLUMN outcome TO outcome_gone', []);
      try {
        const response = await fetch(`${g.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${g.keys.rw}` },
          body: JSON.stringify({ query: ONE, variables: { id: 'some-grant' } }),
        });
        const requestId = response.headers.get('x-request-id');
        const body = (await response.json()) as {
          errors?: { message: string; extensions?: Record<string, unknown> }[];
        };
        expect(body.errors).toHaveLength(1);
        expect(body.errors?.[0]?.message).toBe('Unexpected error.');
        expect(body.errors?.[0]?.extensions?.requestId).toBe(requestId);
        expect(JSON.stringify(body)).not.toMatch(/outcome|column|relation/);
        const errors = log.lines.filter((l) => l.level === 'error');
        expect(errors).toHaveLength(1);
        // Class and code of the fault and of the driver's error, never the driver's message.
        expect(errors[0]?.msg).toBe('unexpected error');
        expect(errors[0]?.obj).toMatchObject({
          requestId,
          err: {
            type: 'LedgerFault',
            causes: [{ code: backend.name === 'postgres' ? '42703' : 'SQLITE_ERROR' }],
          },
        });
        expect(JSON.stringify(errors[0]?.obj)).not.toMatch(/outcome|column/);
      } finally {
        await ledger.db.query('ALTER TABLE grants RENAME COLUMN outcome_gone TO outcome', []);
      }
    });

    it('a ledger that cannot be reached is LedgerUnavailableError with retryAfterSeconds', async () => {
      const closed = await ledgerFor(backend);
      const other = await startGateway({ gatewayOptions: { ledger: closed } });
      try {
        await closed.db.close();
        const answer = await other.gql(ONE, { id: 'some-grant' });
        expect(answer.data.grant).toMatchObject({
          __typename: 'LedgerUnavailableError',
          code: 'LEDGER_UNAVAILABLE',
          retryAfterSeconds: 5,
        });
      } finally {
        await other.close();
      }
    });
  });
}
