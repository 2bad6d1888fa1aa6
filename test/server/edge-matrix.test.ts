import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/server/logger.js';
import { APP, type GatewayHarness, startGateway, upstreamTotal } from '../helpers/gateway.js';
import { type RawAnswer, rawRequest } from '../helpers/raw-http.js';

/**
 * Issue 23, "Done when": without a key, every spelling of the GraphQL path × POST and GET ×
 * Accept JSON, HTML and event-stream, in both profiles (production: a config, GraphiQL off;
 * sandbox: GraphiQL on, introspection and limit names on), origin- and absolute-form. Every answer
 * is 401 (at `/graphql`), 404 (anything else) or 400 (a target or Host no URL can be made of)
 * before parsing, JSON with `no-store`, never a stack trace: no validation message in a body, no operation executed, no
 * store called. Each request writes exactly one access line, with its request id, and nothing
 * else is logged (no stack trace). The one other answer is GraphiQL's page, in the sandbox
 * profile, at `/graphql` itself, for a GET accepting HTML: HTML that executes nothing and is not a
 * GraphQL request (no access line).
 */

/**
 * Request-targets and what each is after URL parsing (what the server sees): the GraphQL path
 * itself (true), another path (false), or no usable target at all ('bad': the edge's 400), with the
 * Host header sent, when not the usual one.
 */
const PATHS: [path: string, canonical: boolean | 'bad', host?: string][] = [
  ['/graphql', true],
  ['/graphql?x=1', true],
  ['/graphql?x=/health', true],
  ['/./graphql', true],
  ['/graphql/', false],
  ['//graphql', false],
  ['/graphql//', false],
  ['/GraphQL', false],
  ['/GRAPHQL', false],
  ['/graphql/?x=1', false],
  ['//graphql?x=/graphql', false],
  ['/%67raphql', false],
  ['/graphql%2F', false],
  ['/graphql;', false],
  ['/graphql.json', false],
  ['/graphql/..', false],
  ['/foo/graphql', false],
  ['/?x=/graphql', false],
  ['/healthz/graphql', false],
  ['/metrics/graphql', false],
  ['/health', false],
  ['/notifications/onestore/game/graphql', false],
  ['/notifications/onestore/', false],
  // The absolute-form (RFC 9112 §3.2.2) is its path and query.
  ['http://gateway.example/graphql', true],
  ['HTTP://GATEWAY.EXAMPLE:8080/graphql?x=1', true],
  ['http://gateway.example//graphql', false],
  ['http://gateway.example/graphql/', false],
  ['http://gateway.example/foo/graphql', false],
  // No URL can be made of these: the edge's 400, never Yoga's 500 with a stack trace.
  ['*', 'bad'],
  ['http://[/graphql', 'bad'],
  ['http://user@gateway.example/graphql', 'bad'],
  ['http://gateway.example:99999/graphql', 'bad'],
  ['/graphql', 'bad', '['],
  ['/graphql', 'bad', 'a b'],
  ['/graphql', 'bad', 'x:99999'],
  ['/graphql', 'bad', 'x/graphql?'],
];
const METHODS = ['POST', 'GET'] as const;
const ACCEPTS = {
  json: 'application/graphql-response+json, application/json',
  html: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'event-stream': 'text/event-stream',
};
/** Would answer each validation message, were it validated. */
const PROBE = `query Probe { grants(app: "${APP}", bogus: 1) { __typename } nope }`;
const VALIDATION = /Unknown argument|was not provided|Cannot query field/;
const ACCESS_LINES = ['graphql request', 'refused API key', 'refused request'];

interface Profile {
  name: string;
  graphiql: boolean;
  start(): Promise<GatewayHarness>;
}

const raw: string[] = [];
const log = createLogger({ level: 'info' }, { write: (line: string) => void raw.push(line) });

const PROFILES: Profile[] = [
  {
    name: 'production (config, GraphiQL off)',
    graphiql: false,
    start: () => startGateway({ gatewayOptions: { logger: log, refusedKeyLinesPerSecond: 100_000 } }),
  },
  {
    name: 'sandbox (GraphiQL on)',
    graphiql: true,
    start: () =>
      startGateway({
        config: { introspection: true, limits: { exposeLimits: true } },
        gatewayOptions: {
          logger: log,
          refusedKeyLinesPerSecond: 100_000,
          graphiql: { defaultQuery: '{ __typename }', headers: { authorization: 'Bearer demo' } },
        },
      }),
  },
];

describe.each(PROFILES)('without a key: $name', (profile) => {
  let g: GatewayHarness;
  beforeAll(async () => {
    g = await profile.start();
  });
  afterAll(async () => {
    await g.close();
  });

  it('every target and Host × POST/GET × Accept: 401, 404 or 400 before parsing, one access line each, no stack trace', async () => {
    const printed: string[] = [];
    for (const method of ['error', 'warn', 'info', 'log', 'debug'] as const)
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    await g.resetStats();
    const operationsBefore = await executed(g);
    // Every request is checked and every failure listed, so one run shows the whole hole.
    const failures: string[] = [];
    let asked = 0;
    try {
      for (const [path, canonical, host] of PATHS)
        for (const method of METHODS)
          for (const [acceptName, accept] of Object.entries(ACCEPTS)) {
            const what = `${method} ${path}${host ? ` Host: ${host}` : ''} (${acceptName})`;
            raw.length = 0;
            // `*` takes no query: Node's parser would refuse `*?query=` before the gateway sees it.
            const target =
              method === 'GET' && path !== '*'
                ? `${path}${path.includes('?') ? '&' : '?'}query=${encodeURIComponent(PROBE)}`
                : path;
            const answer = await rawRequest(g.url, {
              method,
              path: target,
              headers: {
                ...(host && { host }),
                accept,
                'x-graphql-yoga-csrf': '1',
                ...(method === 'POST' && { 'content-type': 'application/json' }),
              },
              ...(method === 'POST' && { body: JSON.stringify({ query: PROBE }) }),
            });
            const access = raw
              .map((l) => JSON.parse(l) as Record<string, unknown>)
              .filter((l) => ACCESS_LINES.includes(String(l.msg)));
            const page = profile.graphiql && canonical === true && method === 'GET' && acceptName === 'html';
            const found = page ? pageProblems(answer, access) : refusalProblems(answer, access, canonical);
            if (raw.length !== access.length) found.push(`${raw.length - access.length} more log lines`);
            if (found.length > 0) failures.push(`${what}: ${found.join('; ')}`);
            asked += 1;
          }
    } finally {
      stderr.mockRestore();
      vi.restoreAllMocks();
    }
    expect(failures).toEqual([]);
    expect(asked).toBe(PATHS.length * METHODS.length * Object.keys(ACCEPTS).length);
    expect(printed, 'no stack trace, nothing printed').toEqual([]);
    expect(await executed(g), 'no operation executed').toBe(operationsBefore);
    expect(await upstreamTotal(g), 'no store called').toBe(0);
  });
});

type Line = Record<string, unknown>;

/** The edge's refusal of each kind of target: its status, code and access line. */
const REFUSED = {
  graphql: { status: 401, code: 'UNAUTHENTICATED', msg: 'refused API key' },
  other: { status: 404, code: 'NOT_FOUND', msg: 'refused request' },
  bad: { status: 400, code: 'BAD_REQUEST', msg: 'refused request' },
};

/** What is wrong with an answer that should be the edge's refusal: 401 at /graphql, 404 elsewhere, 400 for no target. */
function refusalProblems(answer: RawAnswer, access: Line[], canonical: boolean | 'bad'): string[] {
  const problems: string[] = [];
  const validation = answer.text.match(VALIDATION)?.[0];
  if (validation) problems.push(`validated ("${validation}")`);
  if (/\n\s+at /.test(answer.text)) problems.push('a stack trace in the body');
  const { status, code, msg } = REFUSED[canonical === 'bad' ? 'bad' : canonical ? 'graphql' : 'other'];
  if (answer.status !== status) problems.push(`HTTP ${answer.status}, not ${status}`);
  if (answer.headers['cache-control'] !== 'no-store')
    problems.push(`Cache-Control ${answer.headers['cache-control']}`);
  const requestId = answer.headers['x-request-id'];
  const body = answer.json as
    | { errors?: { extensions?: { code?: string; requestId?: string } }[] }
    | undefined;
  const extensions = body?.errors?.[0]?.extensions;
  if (extensions?.code !== code) problems.push(`code ${extensions?.code}`);
  if (requestId === undefined || extensions?.requestId !== requestId)
    problems.push('no request id in the body');
  if (access.length !== 1) problems.push(`${access.length} access lines`);
  else if (
    access[0]?.msg !== msg ||
    access[0]?.requestId !== requestId ||
    access[0]?.status !== answer.status
  )
    problems.push(`access line ${JSON.stringify(access[0])}`);
  return problems;
}

/** GraphiQL's page (sandbox, /graphql, a GET accepting HTML): HTML, no GraphQL request, no access line. */
function pageProblems(answer: RawAnswer, access: Line[]): string[] {
  const problems: string[] = [];
  if (answer.status !== 200 || !answer.headers['content-type']?.includes('text/html'))
    problems.push(`HTTP ${answer.status} ${answer.headers['content-type']}, not the page`);
  // The page is the static GraphiQL bundle (which holds graphql-js's messages as code): its title says it is.
  if (!answer.text.includes('<title>Entitlement gateway</title>')) problems.push('not GraphiQL');
  if (access.length !== 0) problems.push(`${access.length} access lines for the page`);
  return problems;
}

/** Operations the gateway executed so far, from its own /metrics. */
async function executed(g: GatewayHarness): Promise<number> {
  const text = (await rawRequest(g.url, { method: 'GET', path: '/metrics' })).text;
  return text
    .split('\n')
    .filter((line) => line.startsWith('gateway_graphql_operations_total{'))
    .map((line) => Number(line.split(' ').at(-1)))
    .reduce((a, b) => a + b, 0);
}
