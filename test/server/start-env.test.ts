import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { npmStart } from '../helpers/npm-start.js';

/** `npm start` as an operator runs it, in sandbox mode, with `env` over the test's environment. */
const start = npmStart();

/**
 * Starts with `env`; the process must exit by itself within 15 s. It exits as soon as the environment
 * is read, but loading the sources through tsx took over 5 s with three test files at once on a
 * loaded 2-core machine (the bound was 5 s and failed there).
 */
async function exitOf(env: Record<string, string>, args: string[] = []) {
  const { child, output } = start(env, args);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, output: output() };
}

async function until(output: () => string, pattern: RegExp): Promise<RegExpExecArray> {
  for (;;) {
    const match = pattern.exec(output());
    if (match) return match;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const STACK_LINE = /^\s+at /m;

describe('a bad environment value stops the start with exit 2, naming the variable, no stack trace', () => {
  it.each([
    ['PORT', '99999', /PORT="99999": must be from 0 to 65535; fix: set PORT/],
    ['PORT', 'abc', /PORT="abc": must be a whole number from 0 to 65535/],
    ['PORT', '', /PORT="": must be a whole number from 0 to 65535/],
    ['SANDBOX_PORT', '70000', /SANDBOX_PORT="70000": must be from 0 to 65535; fix: set SANDBOX_PORT/],
    ['SHUTDOWN_GRACE_MS', '10s', /SHUTDOWN_GRACE_MS="10s": must be a whole number of milliseconds/],
    ['LOG_FORMAT', 'xml', /LOG_FORMAT="xml": Invalid option/],
    ['SANDBOX_RATE_LIMIT_PER_KEY', '-1', /SANDBOX_RATE_LIMIT_PER_KEY="-1": must be a whole number/],
  ])('%s=%j', async (name, value, message) => {
    const { code, output } = await exitOf({ [name]: value });
    expect(code).toBe(2);
    expect(output).toMatch(message);
    expect(output).not.toMatch(STACK_LINE);
  });

  it('a URL variable names its problem without echoing the value (it may hold a password)', async () => {
    const { code, output } = await exitOf({ DATABASE_URL: 'mysql://u:hunter2@db/x' });
    expect(code).toBe(2);
    expect(output).toMatch(
      /DATABASE_URL=\(value hidden\): must be a URL starting with postgres:\/\/ or postgresql:\/\//,
    );
    expect(output).not.toContain('hunter2');
  });

  describe('a port in use', () => {
    let taken: Server;
    let port = 0;
    afterAll(() => taken?.close());

    it('PORT: says which port', async () => {
      taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      port = (taken.address() as AddressInfo).port;
      const { code, output } = await exitOf({ PORT: String(port) });
      expect(code).toBe(2);
      expect(output).toContain(`PORT=${port}: port ${port} on 127.0.0.1 is already in use`);
      expect(output).not.toMatch(STACK_LINE);
    });

    it('SANDBOX_PORT: says which port', async () => {
      const { code, output } = await exitOf({ PORT: '0', SANDBOX_PORT: String(port) });
      expect(code).toBe(2);
      expect(output).toContain(`SANDBOX_PORT=${port}: port ${port} is already in use`);
      expect(output).not.toMatch(STACK_LINE);
    });
  });
});

describe('start-up output', () => {
  it('--help lists every variable with its default and exits 0', async () => {
    const { code, output } = await exitOf({}, ['--help']);
    expect(code).toBe(0);
    for (const line of [
      /^ {2}PORT +port of the gateway .*\[4000\]$/m,
      /^ {2}SANDBOX_RATE_LIMIT_PER_KEY +sandbox mode: calls a minute per API key .*\[600\]$/m,
      /^ {2}SHUTDOWN_GRACE_MS +.*\[10000\]$/m,
    ])
      expect(output).toMatch(line);
  });

  it('LOG_FORMAT=json prints the banner as JSON too, with the sandbox rate limits from the environment', async () => {
    const { child, output } = start({
      PORT: '0',
      LOG_FORMAT: 'json',
      SANDBOX_RATE_LIMIT_PER_KEY: '5000',
      SANDBOX_RATE_LIMIT_PER_APP: '9000',
    });
    const [line] = await until(output, /^\{"msg":"gateway started".*\}$/m);
    const banner = JSON.parse(line) as Record<string, unknown>;
    expect(banner).toMatchObject({
      msg: 'gateway started',
      host: '127.0.0.1',
      mode: 'sandbox',
      ledger: 'embedded, in memory (sandbox)',
      sandbox: { apiKey: 'demo-key', rateLimits: { perKey: 5000, perApp: 9000 } },
    });
    expect(banner.url).toBe(`http://127.0.0.1:${banner.port}/graphql`);
    // The human banner stays.
    expect(output()).toContain('  Rate limits: 5000 calls a minute per key, 9000 per app');
    child.kill('SIGKILL');
  });

  it('a removed heap variable is named in a warning at start, not ignored in silence, and does not stop the start', async () => {
    const { child, output } = start({
      PORT: '0',
      GATEWAY_HEAP_GROWTH_PERCENT: '50',
      GATEWAY_COMPACT_STARTUP: '1',
    });
    await until(output, /^Sandbox mode: no config given/m);
    expect(output()).toMatch(
      /GATEWAY_HEAP_GROWTH_PERCENT is no longer read and is ignored: .*--max-old-space-size.*GATEWAY_MAX_OLD_SPACE_MB/,
    );
    expect(output()).toMatch(/GATEWAY_COMPACT_STARTUP is no longer read and is ignored/);
    child.kill('SIGKILL');
  });

  it('SANDBOX_RATE_LIMIT_PER_KEY=0 turns sandbox rate limits off; an empty GATEWAY_CONFIG means sandbox mode (docker run -e GATEWAY_CONFIG=)', async () => {
    const { child, output } = start({ PORT: '0', SANDBOX_RATE_LIMIT_PER_KEY: '0', GATEWAY_CONFIG: '' });
    await until(output, /^Sandbox mode: no config given/m);
    await until(output, /Rate limits: off/);
    child.kill('SIGKILL');
  });
});
