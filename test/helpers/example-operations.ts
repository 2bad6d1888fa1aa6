import { readdirSync, readFileSync } from 'node:fs';
import {
  type DefinitionNode,
  type DocumentNode,
  Kind,
  type OperationDefinitionNode,
  type OperationTypeNode,
  parse,
  print,
  visit,
} from 'graphql';
import { GRAPHIQL_EXAMPLES } from '../../src/server/graphiql-examples.js';
import { docExamples } from './doc-examples.js';

/**
 * Every operation the project shows a user: `schema/operations/`, the README's GraphQL examples
 * (its ```graphql blocks and the `query` of its curl examples) and GraphiQL's examples, each made
 * into a document of its own that can be put beside any other.
 *
 * Names are made unique across sources: an anonymous operation (the README's) is named after its
 * source and position (`Readme1` ...); a name already taken by an earlier source (GraphiQL's
 * `CheckEntitlements`, `CancelSubscription` repeat `schema/operations/`) gets its source as a prefix
 * (`GraphiQL_CheckEntitlements`). Fragments are renamed the same way with their spreads, so two
 * sources' fragments of one name never meet (no shipped document has fragments today).
 */

export interface ExampleOperation {
  /** The unique operation name (what `operationName` asks for and metrics label). */
  name: string;
  /** Where it comes from, e.g. `schema/operations/verify-purchase.graphql`. */
  source: string;
  type: OperationTypeNode;
  /** The operation with the fragments it uses, as definitions to combine with others. */
  definitions: readonly DefinitionNode[];
  /** A document holding this operation alone. */
  text: string;
  variables?: Record<string, unknown>;
}

const ROOT = new URL('../../', import.meta.url);

/** Variables for `schema/operations/` on sandbox mode's demo data (`GET /sandbox/v1/demo`). */
const DEMO_VARIABLES: Record<string, Record<string, unknown>> = {
  AcknowledgePurchase: {
    input: { app: 'demo', productId: 'gem_100', purchaseToken: 'DEMOINAPP00000000001' },
  },
  CancelSubscription: {
    input: { app: 'demo', productId: 'pro_subscription', purchaseToken: 'DEMOSUBS000000000001' },
  },
  CheckEntitlements: {
    app: 'demo',
    checks: [
      { store: 'ONESTORE', productId: 'gem_100', purchaseToken: 'DEMOINAPP00000000001' },
      { store: 'ONESTORE', productId: 'premium_pass', purchaseToken: 'DEMOINAPP00000000002' },
      {
        store: 'ONESTORE',
        kind: 'SUBSCRIPTION',
        productId: 'vip_monthly',
        purchaseToken: 'DEMOAUTO000000000002',
      },
      {
        store: 'NHN_CLOUD',
        paymentSeq: '2016122110023124',
        purchaseToken: 'demo-token-gas-1',
        userKey: 'tester',
      },
    ],
  },
  ConsumePurchase: {
    input: {
      app: 'demo',
      onestore: {
        productId: 'gem_100',
        purchaseToken: 'DEMOINAPP00000000001',
        developerPayload: 'order-1001',
      },
    },
  },
  DeferSubscription: {
    input: {
      app: 'demo',
      productId: 'pro_subscription',
      purchaseToken: 'DEMOSUBS000000000001',
      deferPeriod: 30,
    },
  },
  ItemCatalog: { app: 'demo' },
  ReactivateSubscription: {
    input: { app: 'demo', productId: 'pro_subscription', purchaseToken: 'DEMOSUBS000000000002' },
  },
  RedeemPurchase: {
    input: {
      app: 'demo',
      userId: 'player-1',
      onestore: { productId: 'gem_100', purchaseToken: 'DEMOINAPP00000000001' },
    },
  },
  RevokedGrants: { app: 'demo', since: '2020-01-01T00:00:00.000Z' },
  SubscriptionStatus: {
    app: 'demo',
    productId: 'premium_global',
    purchaseToken: 'DEMOSUBS000000000006',
    market: 'MKT_GLB',
  },
  StreamGatewayEvents: { app: 'demo' },
  SyncVoidedPurchases: { app: 'demo', first: 10 },
  UnconfirmedPurchases: { app: 'demo' },
  UnconsumedGamebasePayments: { app: 'demo', userId: 'AS@DEMOUSER0001', storeCodes: ['ONESTORE'] },
  GamebaseSubscriptions: { app: 'demo', userId: 'AS@DEMOUSER0001', packageName: 'com.example.game' },
  GamebaseSubscriptionStatus: {
    app: 'demo',
    paymentSeq: '2026112310000004',
    purchaseToken: 'demo-gb-token-vip-1',
  },
  UnconsumedPurchases: { app: 'demo', userKey: 'tester' },
  VerifyPurchase: { app: 'demo', productId: 'premium_pass', purchaseToken: 'DEMOINAPP00000000002' },
};

/**
 * A Markdown file's GraphQL examples (doc-examples.ts reads them): its ```graphql blocks, then the
 * `query` of each curl command to the gateway, in that order (the `ReadmeN` names follow it).
 */
export function readmeDocuments(markdown: string): string[] {
  const examples = docExamples('', markdown);
  return [
    ...examples.filter((e) => e.kind === 'graphql'),
    ...examples.filter((e) => e.kind === 'curl'),
  ].flatMap((e) => (e.graphql === undefined ? [] : [e.graphql]));
}

function operationsOf(
  source: string,
  document: DocumentNode,
  taken: Set<string>,
  prefix: string,
  anonymous: () => string,
): ExampleOperation[] {
  const fragments = new Map<string, string>();
  for (const d of document.definitions) {
    if (d.kind !== Kind.FRAGMENT_DEFINITION) continue;
    const name = taken.has(d.name.value) ? `${prefix}_${d.name.value}` : d.name.value;
    taken.add(name);
    fragments.set(d.name.value, name);
  }
  const renamedFragments = (doc: DocumentNode) =>
    visit(doc, {
      FragmentDefinition: (node) => ({
        ...node,
        name: { ...node.name, value: fragments.get(node.name.value) },
      }),
      FragmentSpread: (node) => ({ ...node, name: { ...node.name, value: fragments.get(node.name.value) } }),
    });
  const renamed = renamedFragments(document);
  const fragmentDefinitions = renamed.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  return renamed.definitions.flatMap((d): ExampleOperation[] => {
    if (d.kind !== Kind.OPERATION_DEFINITION) return [];
    const original = d.name?.value;
    const name =
      original === undefined ? anonymous() : taken.has(original) ? `${prefix}_${original}` : original;
    taken.add(name);
    const operation: OperationDefinitionNode = { ...d, name: { kind: Kind.NAME, value: name } };
    // Every fragment of the source travels with each of its operations: unused ones would fail
    // validation (NoUnusedFragments), so only the fragments the operation spreads are kept.
    const used = new Set<string>();
    visit(operation, { FragmentSpread: (s) => void used.add(s.name.value) });
    const definitions = [operation, ...fragmentDefinitions.filter((f) => used.has(f.name.value))];
    const variables = original === undefined ? undefined : DEMO_VARIABLES[original];
    return [
      {
        name,
        source,
        type: d.operation,
        definitions,
        text: print({ kind: Kind.DOCUMENT, definitions }),
        ...(source.startsWith('schema/operations/') && variables !== undefined && { variables }),
      },
    ];
  });
}

/** All example operations, uniquely named. */
export function exampleOperations(): ExampleOperation[] {
  const taken = new Set<string>();
  const out: ExampleOperation[] = [];
  const dir = new URL('schema/operations/', ROOT);
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()) {
    const text = readFileSync(new URL(file, dir), 'utf8');
    out.push(...operationsOf(`schema/operations/${file}`, parse(text), taken, 'Ops', () => 'unnamed'));
  }
  let readmeCount = 0;
  readmeDocuments(readFileSync(new URL('README.md', ROOT), 'utf8')).forEach((text, i) => {
    out.push(
      ...operationsOf(
        `README.md example ${i + 1}`,
        parse(text),
        taken,
        'Readme',
        () => `Readme${++readmeCount}`,
      ),
    );
  });
  let graphiqlCount = 0;
  out.push(
    ...operationsOf(
      'GRAPHIQL_EXAMPLES',
      parse(GRAPHIQL_EXAMPLES),
      taken,
      'GraphiQL',
      () => `GraphiQL${++graphiqlCount}`,
    ),
  );
  for (const op of out)
    if (op.source.startsWith('schema/operations/') && op.variables === undefined)
      throw new Error(`no demo variables for ${op.name} (${op.source})`);
  return out;
}

/** One document of several example operations, in the given order. */
export function combined(operations: readonly ExampleOperation[]): string {
  // A fragment shared by two operations of one source is one definition object: put it in once.
  const definitions = [...new Set(operations.flatMap((op) => op.definitions))];
  return print({ kind: Kind.DOCUMENT, definitions });
}
