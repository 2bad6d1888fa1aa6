import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestSchemaName, STALE_SCHEMA_MS, sweepStaleSchemas } from '../helpers/ledger.js';
import { createOwnDatabase, type OwnDatabase } from '../helpers/own-database.js';

/**
 * Issue 24 (12): `npm test` left a `ledger_test_…` schema (6 tables) in the test database: a file
 * that never called cleanup(). Both cases run on a database of their own, so the schemas other test
 * files are using right now are never looked at, let alone dropped.
 */
const run = promisify(execFile);
const skip = (process.env.TEST_DATABASE_URL ?? '') === '';

describe.skipIf(skip)('the ledger_test_ schemas of test runs', () => {
  let db: OwnDatabase;
  beforeAll(async () => {
    db = await createOwnDatabase('ledger_schemas');
  });
  afterAll(async () => {
    await db?.drop();
  });

  const schemas = async () =>
    (
      await db.query<{ name: string }>(
        "SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'ledger\\_test\\_%' ORDER BY 1",
      )
    ).map((r) => r.name);

  it('a test file that never calls cleanup() leaves none behind', async () => {
    await run('npx', ['vitest', 'run', '--config', 'test/helpers/fixtures/vitest.fixtures.config.ts'], {
      env: { ...process.env, TEST_DATABASE_URL: db.url },
    });
    expect(await schemas()).toEqual([]);
  }, 60_000);

  it('the sweep drops what killed runs left (6 h old), not fresh schemas, old-style names, or one in use', async () => {
    const old = Date.now() - STALE_SCHEMA_MS - 60_000;
    const stale = newTestSchemaName(old);
    const inUse = newTestSchemaName(old);
    const fresh = newTestSchemaName();
    const legacy = 'ledger_test_0123456789ab';
    for (const name of [stale, inUse, fresh, legacy])
      await db.query(`CREATE SCHEMA ${name}; CREATE TABLE ${name}.grants (id text)`);
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query(`BEGIN; LOCK TABLE ${inUse}.grants IN ACCESS SHARE MODE`);
      expect(await sweepStaleSchemas(db.url)).toEqual([stale]);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await schemas()).toEqual([inUse, fresh, legacy].sort());
  });
});
