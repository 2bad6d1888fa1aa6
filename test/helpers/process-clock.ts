import { readFileSync } from 'node:fs';

/**
 * Loaded into a gateway process with `--import` (`spawnGateway(…, { clockFile })`): its `Date.now`
 * runs `GATEWAY_TEST_CLOCK_FILE`'s offset (ms, a decimal integer) ahead of the wall clock, read again
 * on every call, so a test that moves the sandbox clock months on moves the process's clock with it
 * (`main.ts` takes no clock: in process, tests hand `createGateway` the sandbox's). The file is
 * replaced whole (written aside, renamed), so a read never sees half of it; while it cannot be read
 * the last offset stays. `new Date()` without arguments keeps the wall clock: the paths the tests
 * using this drive (redemption, the revocation sync, the sweeper) take their time from `Date.now`.
 * The ledger's own clock (PostgreSQL `now()`, leases) stays the wall clock.
 */
const file = process.env.GATEWAY_TEST_CLOCK_FILE;
if (file !== undefined && file !== '') {
  const wall = Date.now.bind(Date);
  let offset = 0;
  Date.now = () => {
    try {
      const read = Number(readFileSync(file, 'utf8'));
      if (Number.isSafeInteger(read)) offset = read;
    } catch {
      // Being replaced at this instant: the last offset read stands.
    }
    return wall() + offset;
  };
}
