import { z } from 'zod';

/**
 * Every environment variable the gateway process reads, with its default, in one place.
 * `npm start -- --help` prints this table; `parseEnv` checks the values before anything starts,
 * so a bad one stops the process with a message that names it instead of a stack trace later.
 * (A config file's `{ "env": "NAME" }` secrets are read by the config loader, not here.)
 */

const port = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number from 0 to 65535 (0: any free port)')
    .transform(Number)
    .pipe(z.int().min(0, 'must be from 0 to 65535').max(65_535, 'must be from 0 to 65535'))
    .default(fallback);

const milliseconds = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number of milliseconds')
    .transform(Number)
    .pipe(z.int().max(3_600_000, 'must be at most 3600000 (one hour)'))
    .default(fallback);

const perMinute = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number of calls a minute (0 turns the limits off)')
    .transform(Number)
    .pipe(z.int().max(10_000_000, 'must be at most 10000000'))
    .default(fallback);

/** Set means non-empty: an empty value is refused rather than read as "unset" or as 0. */
const text = () => z.string().min(1, 'is empty; unset it or give a value').optional();

const url = (schemes: readonly string[]) =>
  z
    .string()
    .refine((value) => URL.canParse(value) && schemes.includes(new URL(value).protocol), {
      message: `must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}`,
    })
    .optional();

export const ENV_SCHEMA = z.object({
  PORT: port(4000),
  HOST: z.string().min(1, 'is empty; unset it or give an interface address').default('127.0.0.1'),
  // Empty means sandbox mode: `docker run -e GATEWAY_CONFIG=` clears the image's default path.
  GATEWAY_CONFIG: z
    .string()
    .optional()
    .transform((value) => value || undefined),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['text', 'json']).default('text'),
  SHUTDOWN_GRACE_MS: milliseconds(10_000),
  SHUTDOWN_DRAIN_DELAY_MS: milliseconds(3_000),
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  REDIS_URL: url(['redis:', 'rediss:']),
  RATE_LIMIT_KEY_PREFIX: text(),
  SANDBOX_PORT: port(0),
  DEMO_API_KEY: text(),
  SANDBOX_RATE_LIMIT_PER_KEY: perMinute(600),
  SANDBOX_RATE_LIMIT_PER_APP: perMinute(1200),
  SANDBOX_WEBHOOK_URL: url(['http:', 'https:']),
  SANDBOX_WEBHOOK_SECRET: text(),
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http:', 'https:']),
  OTEL_SERVICE_NAME: z.string().min(1, 'is empty; unset it for the default').default('entitlement-gateway'),
});

export type GatewayEnv = z.output<typeof ENV_SCHEMA>;

/** What `--help` prints: each variable, its default and what it does. */
export const ENV_HELP: ReadonlyArray<readonly [name: keyof GatewayEnv, fallback: string, meaning: string]> = [
  ['PORT', '4000', 'port of the gateway (0: any free port, printed in the banner)'],
  ['HOST', '127.0.0.1', 'interface to listen on (0.0.0.0: all)'],
  ['GATEWAY_CONFIG', '(none: sandbox mode)', 'config file path; --config overrides it; empty: sandbox mode'],
  ['LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent'],
  ['LOG_FORMAT', 'text', 'json also prints the start banner as one JSON line'],
  ['SHUTDOWN_GRACE_MS', '10000', 'after SIGTERM, how long in-flight requests may finish'],
  ['SHUTDOWN_DRAIN_DELAY_MS', '3000', 'after SIGTERM, how long /readyz says 503 while still serving'],
  ['DATABASE_URL', '(none: embedded SQLite)', 'postgres:// URL of the shared grant ledger'],
  ['REDIS_URL', '(none: in memory)', 'redis:// URL where rate-limit budgets are shared'],
  ['RATE_LIMIT_KEY_PREFIX', 'gateway:rl', 'prefix of the rate-limit keys in Redis'],
  ['SANDBOX_PORT', '0', 'sandbox mode: port of the embedded store sandbox (0: any free port)'],
  ['DEMO_API_KEY', 'demo-key', 'sandbox mode: the demo API key'],
  ['SANDBOX_RATE_LIMIT_PER_KEY', '600', 'sandbox mode: calls a minute per API key (0: no rate limits)'],
  ['SANDBOX_RATE_LIMIT_PER_APP', '1200', 'sandbox mode: calls a minute per app (0: no rate limits)'],
  [
    'SANDBOX_WEBHOOK_URL',
    '(none: no webhooks)',
    'sandbox mode: every event of the demo app is POSTed there, signed',
  ],
  [
    'SANDBOX_WEBHOOK_SECRET',
    '(the demo secret, printed)',
    'sandbox mode: the signing secret of SANDBOX_WEBHOOK_URL',
  ],
  ['OTEL_EXPORTER_OTLP_ENDPOINT', '(none: no tracing)', 'OTLP/HTTP collector; setting it turns tracing on'],
  ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', '(none)', 'OTLP/HTTP traces URL, overrides the one above'],
  ['OTEL_SERVICE_NAME', 'entitlement-gateway', 'service.name of the spans'],
];

export function envHelp(): string {
  const width = Math.max(...ENV_HELP.map(([name]) => name.length));
  return [
    'Usage: npm start -- [--config <file>] [--help]',
    '',
    'Without a config file the gateway starts in sandbox mode (embedded store sandbox, demo data).',
    '',
    'Environment variables (default in brackets):',
    ...ENV_HELP.map(([name, fallback, meaning]) => `  ${name.padEnd(width)}  ${meaning} [${fallback}]`),
  ].join('\n');
}

/**
 * Variables earlier versions read and this one does not, with what replaced each. Set, each gets a
 * warning at start ({@link removedEnvWarnings}) instead of being ignored in silence; they do not stop
 * the start, as a heap setting left in a deployment does not make the gateway's answers wrong.
 */
export const REMOVED_ENV: Readonly<Record<string, string>> = {
  GATEWAY_HEAP_GROWTH_PERCENT:
    'the process no longer sets V8 flags on itself; the heap is set on the node command line (the Docker image: --max-old-space-size from GATEWAY_MAX_OLD_SPACE_MB, --heap-growing-percent=75), docs/operations.md#memory',
  GATEWAY_COMPACT_STARTUP:
    'the process no longer sets V8 flags on itself (no compact start-up); docs/operations.md#memory',
};

/** One line per removed variable that `env` still sets: its name, that it is ignored, and why. */
export function removedEnvWarnings(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(REMOVED_ENV)
    .filter(([name]) => env[name] !== undefined)
    .map(([name, why]) => `${name} is no longer read and is ignored: ${why}; unset it`);
}

/** A bad environment value; `message` names each variable, its problem and the fix. */
export class EnvError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid environment:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Checks and converts the variables of {@link ENV_SCHEMA}; throws {@link EnvError}. */
export function parseEnv(env: Readonly<Record<string, string | undefined>>): GatewayEnv {
  const picked = Object.fromEntries(Object.keys(ENV_SCHEMA.shape).map((name) => [name, env[name]]));
  const result = ENV_SCHEMA.safeParse(picked);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const entry = ENV_HELP.find(([n]) => n === name);
      const value = JSON.stringify(env[name] ?? '');
      // Values of URL and key variables may hold passwords or keys: their problem is named, not echoed.
      const shown = /_URL$|_API_KEY$|_ENDPOINT$/.test(name) ? '(value hidden)' : value;
      return `${name}=${shown}: ${issue.message}; fix: set ${name} to a valid value or unset it${
        entry ? ` for the default (${entry[1]})` : ''
      }`;
    }),
  );
}
