import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LedgerStorage, openLedgerStorage } from '../../src/redemption/service.js';
import { createLogger } from '../../src/server/logger.js';
import { APP, type GatewayHarness, startGateway } from '../helpers/gateway.js';
import { captureConsole } from '../helpers/gateway-console.js';
import { ledgerBackends } from '../helpers/ledger.js';
import { ledgerFor } from '../helpers/redeem.js';

/**
 * An unexpected error (masked as `Unexpected error.` in the answer) is logged once, as one JSON line
 * of the gateway's logger at `error` level, with the request id, the error's class and code, its
 * causes' classes and codes, and its stack frames: never its message or a cause's message, which a
 * driver fills with the value it could not read (pg: `invalid input syntax for type uuid: "…"`).
 * Yoga's own console logger, which printed the plain-text stack with the message and cause, is
 * never used; with no logger given, nothing is printed at all.
 */

const VALUE = 'SECRETVALUE7';
const ONE = `query ($id: ID!) { grant(app: "${APP}", id: $id) { __typename } }`;

/** What the process printed on the console meanwhile (Yoga's default logger writes there). */
const printed = captureConsole();

async function ask(g: GatewayHarness): Promise<{ requestId: string | null; body: string }> {
  const response = await fetch(`${g.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${g.keys.rw}` },
    body: JSON.stringify({ query: ONE, variables: { id: VALUE } }),
  });
  return { requestId: response.headers.get('x-request-id'), body: await response.text() };
}

/** A driver's error as pg raises it for a value it cannot read: the value is in the message. */
function driverError(): Error {
  return Object.assign(new Error(`invalid input syntax for type uuid: "${VALUE}"`), {
    name: 'error',
    code: '22P02',
    routine: 'string_to_uuid',
  });
}

for (const backend of ledgerBackends()) {
  describe.skipIf(backend.skip)(`a masked unexpected error, ${backend.name}`, () => {
    const raw: string[] = [];
    const log = createLogger({ level: 'info' }, { write: (line: string) => void raw.push(line) });
    let g: GatewayHarness;
    let ledger: LedgerStorage;
    beforeAll(async () => {
      ledger = await ledgerFor(backend);
      g = await startGateway({ gatewayOptions: { ledger, logger: log } });
      // The ledger opened and its start-up work done (the config's fill-ins, the workers' first
      // reads), so the broken column below fails the lookup only, not the ledger's start.
      const warm = await g.gql(`query { grants(app: "${APP}", userId: "warm-up") { __typename } }`);
      expect(warm.data.grants).toMatchObject({ __typename: 'GrantConnection' });
    }, 120_000);
    afterAll(async () => {
      await g?.close();
      await ledger?.db.close();
      await backend.cleanup();
    }, 60_000);

    /** Makes the grant lookup fail with the driver's own error for `VALUE`, then undoes it. */
    async function withBrokenLookup(run: () => Promise<void>): Promise<void> {
      if (backend.name === 'postgres') {
        // PostgreSQL itself: `id` turned uuid, so looking up `VALUE` fails as the driver reports it.
        await ledger.db.query('ALTER TABLE grants RENAME COLUMN id TO id_text', []);
        await ledger.db.query('ALTER TABLE grants ADD COLUMN id uuid', []);
        try {
          await run();
        } finally {
          await ledger.db.query('ALTER TABLE grants DROP COLUMN id', []);
          await ledger.db.query('ALTER TABLE grants RENAME COLUMN id_text TO id', []);
        }
        return;
      }
      // SQLite reads any text: the same driver error, thrown by the database handle.
      const query = vi.spyOn(ledger.db, 'query').mockRejectedValueOnce(driverError());
      try {
        await run();
      } finally {
        query.mockRestore();
      }
    }

    it('one JSON error line with the request id, class, code and frames; no message, no value', async () => {
      await withBrokenLookup(async () => {
        raw.length = 0;
        const { requestId, body } = await ask(g);
        expect(JSON.parse(body)).toMatchObject({
          errors: [{ message: 'Unexpected error.', extensions: { requestId } }],
        });
        const lines = raw.map((l) => JSON.parse(l) as Record<string, unknown>);
        const errors = lines.filter((l) => Number(l.level) >= 50);
        expect(errors).toEqual([
          expect.objectContaining({
            msg: 'unexpected error',
            requestId,
            err: expect.objectContaining({
              type: 'LedgerFault',
              causes: [expect.objectContaining({ type: expect.any(String), code: '22P02' })],
              stack: expect.stringMatching(/^\s+at /),
            }),
          }),
        ]);
        expect(raw.join('\n')).not.toContain(VALUE);
        expect(raw.join('\n')).not.toContain('invalid input syntax');
        expect(printed).toEqual([]);
      });
    });
  });
}

describe('with no logger given', () => {
  let ledger: LedgerStorage;
  let g: GatewayHarness;
  beforeAll(async () => {
    ledger = await openLedgerStorage({}); // SQLite in memory
    g = await startGateway({ gatewayOptions: { ledger } });
  });
  afterAll(async () => {
    await g?.close();
    await ledger?.db.close();
  });

  it('Yoga prints nothing: no stack trace, no message on the console', async () => {
    const query = vi.spyOn(ledger.db, 'query').mockRejectedValueOnce(driverError());
    const stdout = vi.spyOn(process.stdout, 'write');
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      const { body } = await ask(g);
      expect(body).toContain('Unexpected error.');
      expect(printed).toEqual([]);
      expect([...stdout.mock.calls, ...stderr.mock.calls].map((c) => String(c[0])).join('')).not.toContain(
        VALUE,
      );
    } finally {
      query.mockRestore();
    }
  });
});
