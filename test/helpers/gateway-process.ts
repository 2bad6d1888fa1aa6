import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../../src/server/api-keys.js';

export const PROCESS_APP = 'game';

/** A gateway started as its own process (`src/main.ts`), as an operator runs it. */
export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface ProcessConfig {
  dir: string;
  sandboxUrl: string;
  clientId: string;
  clientSecret: string;
  nhnAppSeq: string;
  apiKey: string;
  /** The config's `ledger` section. */
  ledger: Record<string, unknown>;
  /** Default 1500, so a short lease is allowed. */
  upstreamDeadlineMs?: number;
  /** The app's `webhooks` endpoints. Default: none. */
  webhooks?: Record<string, unknown>[];
  /** More top-level config keys (e.g. the `webhooks` section). Default: none. */
  extra?: Record<string, unknown>;
  /** A Gamebase app of the sandbox for the app, its secret key in GAMEBASE_A. Default: none. */
  gamebaseAppId?: string;
}

/** Writes a config file for one app on the test's sandbox; the client secret travels in SECRET_A. */
export async function writeProcessConfig(c: ProcessConfig): Promise<string> {
  const path = join(c.dir, 'gateway.json');
  const config = {
    apps: {
      [PROCESS_APP]: {
        onestore: { clientId: c.clientId, clientSecret: { env: 'SECRET_A' }, baseUrl: c.sandboxUrl },
        nhncloud: { appSeq: c.nhnAppSeq, baseUrl: c.sandboxUrl },
        ...(c.gamebaseAppId !== undefined && {
          gamebase: { appId: c.gamebaseAppId, secretKey: { env: 'GAMEBASE_A' }, baseUrl: c.sandboxUrl },
        }),
        ...(c.webhooks && { webhooks: c.webhooks }),
      },
    },
    apiKeys: [{ name: 'test', sha256: sha256Hex(c.apiKey), apps: [PROCESS_APP], scopes: ['read', 'write'] }],
    upstreamDeadlineMs: c.upstreamDeadlineMs ?? 1_500,
    breaker: { enabled: false },
    rateLimits: { enabled: false },
    ledger: c.ledger,
    ...c.extra,
  };
  await writeFile(path, JSON.stringify(config));
  return path;
}

const running = new Set<ChildProcess>();

/** Kills every gateway process this test file started and has not stopped (for afterAll, also after a failure). */
export function killAllGateways(): void {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
}

export interface SpawnOptions {
  /**
   * A file holding the offset (ms) of the process's `Date.now` from the wall clock, read on every
   * call (process-clock.ts): how a test gives a process the sandbox's clock. Default: the wall clock.
   */
  clockFile?: string;
}

const PROCESS_CLOCK = new URL('./process-clock.ts', import.meta.url).href;

export async function spawnGateway(
  configPath: string,
  env: Record<string, string>,
  options: SpawnOptions = {},
): Promise<GatewayProcess> {
  const clock = options.clockFile === undefined ? [] : ['--import', PROCESS_CLOCK];
  const clockEnv = options.clockFile === undefined ? {} : { GATEWAY_TEST_CLOCK_FILE: options.clockFile };
  const args = ['--import', 'tsx', ...clock, 'src/main.ts', '--config', configPath];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', SHUTDOWN_DRAIN_DELAY_MS: '0', ...clockEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let seen = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Entitlement gateway on (http:\/\/[^/\s]+)\/graphql/.exec(seen);
      if (match?.[1]) {
        clearInterval(timer);
        resolve(match[1]);
      }
    }, 20);
    child.once('exit', (code, signal) => {
      clearInterval(timer);
      reject(new Error(`gateway exited with ${code ?? signal} before listening:\n${seen}`));
    });
  });
  return {
    url,
    child,
    output: () => seen,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

/** POST /graphql to a gateway process. */
export async function gqlAt<T = Record<string, unknown>>(
  url: string,
  apiKey: string,
  query: string,
  variables: object = {},
): Promise<{ data?: T; errors?: unknown[] }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T; errors?: unknown[] };
}
