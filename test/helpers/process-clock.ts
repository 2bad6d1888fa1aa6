import { readFileSync } from 'node:fs';

/**
 * Loaded into a gateway process with `--import` (`spawnGateway(…, { clockFile })`): its `Date.now`
 * runs `GATEWAY_TEST_CLOCK_FILE`'s offset (ms, a decimal integer) ahead of the wall clock, or, for a
 * file holding `=<ms>`, stays at that instant (a frozen sandbox clock: what a process reads then does
 * not depend on when it reads), read again on every call, so a test that moves the sandbox clock months on moves the process's clock with it
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
  let frozen: number | null = null;
  Date.now = () => {
    try {
      const text = readFileSync(file, 'utf8');
      const read = Number(text.startsWith('=') ? text.slice(1) : text);
      if (Number.isSafeInteger(read)) {
        frozen = text.startsWith('=') ? read : null;
        offset = read;
      }
    } catch {
      // Being replaced at this instant: the last reading stands.
    }
    return frozen ?? wall() + offset;
  };
}
