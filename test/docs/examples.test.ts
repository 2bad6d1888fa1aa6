import { readdirSync, readFileSync } from 'node:fs';
import { Kind, type OperationDefinitionNode, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DocExample, docExamples } from '../helpers/doc-examples.js';
import { type DocAnswer, type DocGateway, startDocGateway } from '../helpers/doc-gateway.js';
import {
  comparable,
  isTypeSystem,
  normalised,
  sdlDifferences,
  shownAnswers,
  type Varying,
} from '../helpers/doc-outputs.js';

/**
 * Every example of README.md and docs/*.md that asks the gateway (```graphql blocks, curl commands
 * to localhost:4000), run as the reader would, in document order, against sandbox mode started
 * afresh for each file (test/helpers/doc-gateway.ts: demo data, key `demo-key`, the sandbox clock
 * stopped at DOC_TIME), and compared with the output the doc prints right after it. An example with
 * no output shown must answer without `errors`. A GraphQL block of type definitions must match the
 * schema. Examples are named `<file> <operation name, or its first root field>`.
 */

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const FILES = [
  'README.md',
  ...readdirSync(new URL('docs/', ROOT))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

// The one place for what a doc cannot fix, what runs before a file, and what cannot run at all.

/** Values made at the run (ids) or by the ledger's clock, the process's (times); `normalised` says how they compare. */
const VARYING: Record<string, Varying> = {
  'README.md redeemPurchase': { ids: ['id'] },
  'README.md gatewayEvents': { ids: ['id'], times: ['occurredAt'] },
  'docs/events.md Events': { ids: ['id'], times: ['occurredAt', 'observedAt'] },
  'docs/redemption.md redeemPurchase': { ids: ['id'] },
  'docs/entitlements.md GrantEntitlement': { ids: ['id'] },
  'docs/entitlements.md SupportedPlayer': { ids: ['id', 'grantId'] },
  'docs/entitlements.md RevokeGrant': { ids: ['id'] },
};

/** Examples of another file that a file's examples follow, as its text says ("after the README's redeemPurchase example"). */
const BEFORE: Record<string, readonly string[]> = {
  'docs/events.md': ['README.md redeemPurchase'],
};

/** Sandbox mode with `SANDBOX_WEBHOOK_URL` set (endpoint `sandbox`), for the files that show webhooks. */
const WEBHOOKS = new Set(['docs/events.md']);

/** Variables of the operations that declare some: what the doc's reader passes. */
const VARIABLES: Record<string, (g: DocGateway) => Promise<Record<string, unknown>>> = {
  'docs/events.md Events': async () => ({ app: 'demo' }),
  'docs/events.md StreamGatewayEvents': async () => ({ app: 'demo' }),
  'docs/events.md RedeliverEvent': async (g) => ({ eventId: await firstEventId(g) }),
  'docs/entitlements.md RevokeGrant': async (g) => ({ id: await firstSupportGrantId(g) }),
};

/** Examples that cannot run here, with the reason. Keep it short. */
const SKIP: Record<string, string> = {};

// ---

const HEADERS = { authorization: 'Bearer demo-key', 'content-type': 'application/json' };

interface Case {
  name: string;
  example: DocExample;
  /** One request, as the example makes it. */
  request(g: DocGateway): Promise<{ path: string; init: RequestInit; stream: boolean }>;
}

async function firstEventId(g: DocGateway): Promise<string> {
  const answer = await g.send('/graphql', {
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify({
      query:
        '{ gatewayEvents(app: "demo", first: 1) { ... on GatewayEventConnection { edges { node { id } } } } }',
    }),
  });
  const body = answer.body as { data: { gatewayEvents: { edges: { node: { id: string } }[] } } };
  const id = body.data.gatewayEvents.edges[0]?.node.id;
  if (id === undefined) throw new Error('no event in the ledger yet');
  return id;
}

/** The demo player's first support grant (docs/entitlements.md's GrantEntitlement made it). */
async function firstSupportGrantId(g: DocGateway): Promise<string> {
  const answer = await g.send('/graphql', {
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify({
      query: '{ player(app: "demo", userId: "AS@DEMOUSER0001") { ... on Player { supportGrants { id } } } }',
    }),
  });
  const body = answer.body as { data: { player: { supportGrants: { id: string }[] } } };
  const id = body.data.player.supportGrants[0]?.id;
  if (id === undefined) throw new Error('no support grant in the ledger yet');
  return id;
}

function operationName(op: OperationDefinitionNode): string {
  const first = op.selectionSet.selections[0];
  return op.name?.value ?? (first?.kind === Kind.FIELD ? first.name.value : 'unnamed');
}

/** The requests of an example: one per operation of a GraphQL block, one per curl command. */
function casesOf(example: DocExample): Case[] {
  const { file } = example;
  if (example.kind === 'curl' && example.curl) {
    const curl = example.curl;
    let name = new URL(curl.url, 'http://localhost').pathname;
    try {
      const op = parse(example.graphql ?? '').definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
      if (op) name = operationName(op);
    } catch {
      // An unparsable query is named by its path; running it fails with the server's answer.
    }
    const url = new URL(curl.url.startsWith('http') ? curl.url : `http://${curl.url}`);
    const headers = Object.fromEntries(curl.headers);
    return [
      {
        name: `${file} ${name}`,
        example,
        request: async () => ({
          path: `${url.pathname}${url.search}`,
          init: { method: curl.method, headers, ...(curl.data !== undefined && { body: curl.data }) },
          stream: headers.accept === 'text/event-stream',
        }),
      },
    ];
  }
  const text = example.graphql ?? '';
  let ops: OperationDefinitionNode[];
  try {
    ops = parse(text).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  } catch (error) {
    return [{ name: `${file} (line ${example.line})`, example, request: () => Promise.reject(error) }];
  }
  return ops.map((op) => {
    const name = `${file} ${operationName(op)}`;
    return {
      name,
      example,
      request: async (g) => {
        const variables = await VARIABLES[name]?.(g);
        const stream = op.operation === 'subscription';
        return {
          path: '/graphql',
          init: {
            method: 'POST',
            headers: { ...HEADERS, ...(stream && { accept: 'text/event-stream' }) },
            body: JSON.stringify({
              query: text,
              ...(ops.length > 1 && { operationName: op.name?.value }),
              ...(variables && { variables }),
            }),
          },
          stream,
        };
      },
    };
  });
}

async function send(g: DocGateway, c: Case, events: number): Promise<DocAnswer> {
  const { path, init } = await c.request(g);
  return g.send(path, init, events);
}

/**
 * An answer with no output shown to compare: no GraphQL error, and no root field answered with an
 * `Error` type (an example on an app or token the demo lacks "runs" only into ForbiddenError).
 */
function expectNoErrors(answer: DocAnswer): void {
  expect(answer.status).toBe(200);
  const payloads = Array.isArray(answer.body) ? answer.body : [answer.body];
  expect(payloads.length).toBeGreaterThan(0);
  for (const payload of payloads) {
    expect(payload).not.toHaveProperty('errors');
    const data = (payload as { data?: Record<string, unknown> }).data ?? {};
    for (const [field, value] of Object.entries(data))
      expect(value ?? {}, `${field} answered an error`).not.toHaveProperty('code');
  }
}

const all = new Map(
  FILES.flatMap((file) => docExamples(file, read(file)).flatMap(casesOf)).map((c) => [c.name, c]),
);
const schemaText = read('schema/schema.graphql');

describe('the docs examples run and show what they answer', () => {
  it('finds the README examples (a parser that finds none would pass everything)', () => {
    expect([...all.keys()].filter((name) => name.startsWith('README.md ')).length).toBeGreaterThanOrEqual(6);
  });

  it('names only examples that exist in its tables (a renamed example must not keep a stale rule)', () => {
    const named = [
      ...Object.keys(VARYING),
      ...Object.values(BEFORE).flat(),
      ...Object.keys(VARIABLES),
      ...Object.keys(SKIP),
    ];
    expect(named.filter((name) => !all.has(name))).toEqual([]);
  });

  for (const file of FILES) {
    const examples = docExamples(file, read(file));
    if (examples.length === 0) continue;
    describe(file, () => {
      let g: DocGateway;
      beforeAll(async () => {
        g = await startDocGateway({ webhooks: WEBHOOKS.has(file) });
        for (const name of BEFORE[file] ?? []) {
          const c = all.get(name);
          if (!c) throw new Error(`${file} follows ${name}, which no doc has`);
          expectNoErrors(await send(g, c, 1));
        }
      });
      afterAll(async () => g?.close());

      for (const example of examples) {
        if (example.kind === 'graphql' && example.graphql && isTypeSystemSafe(example.graphql)) {
          it(`${file} line ${example.line}: the type definitions are the schema's`, () => {
            expect(sdlDifferences(example.graphql ?? '', schemaText)).toEqual([]);
          });
          continue;
        }
        const cases = casesOf(example);
        if (cases.length > 1 && example.output)
          it(`${file} line ${example.line}: one output after ${cases.length} operations`, () => {
            expect.fail('show each operation in its own block, with its own output');
          });
        for (const c of cases) {
          const reason = SKIP[c.name];
          if (reason !== undefined) {
            it.skip(`${c.name} (line ${example.line}): ${reason}`, () => {});
            continue;
          }
          it(`${c.name} (line ${example.line})`, async () => {
            const shown = example.output ? shownAnswers(example.output) : [];
            if (shown.length === 0) {
              expectNoErrors(await send(g, c, 1));
              return;
            }
            const varying = VARYING[c.name] ?? {};
            // One run per answer shown ("consume, then consume again" shows two), normalised together:
            // a repeat must show the same id as the first run where the doc shows the same.
            const answers: unknown[] = [];
            for (const expected of shown) {
              const events = Array.isArray(expected) ? expected.length : 1;
              const answer = await send(g, c, events);
              expect(answer.status).toBe(200);
              answers.push(comparable(expected, answer.body));
            }
            expect(normalised(answers, varying)).toEqual(normalised(shown, varying));
          });
        }
      }
    });
  }
});

function isTypeSystemSafe(text: string): boolean {
  try {
    return isTypeSystem(text);
  } catch {
    return false;
  }
}
